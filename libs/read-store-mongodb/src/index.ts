// The production ReadStore adapter (MongoDB).
export { MongoDbReadStore } from './mongodb-read-store';
