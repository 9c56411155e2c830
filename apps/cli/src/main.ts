import { createEventStore } from '@itsm/event-store';
import { loadConfig } from '@itsm/config';

const USAGE = `usage: itsm <command>
  stats     events in the log and the head position
`;

async function main(argv: string[]) {
  const [command] = argv;
  switch (command) {
    case 'stats': {
      const store = createEventStore(loadConfig());
      console.log(JSON.stringify({ adapter: store.kind, headPosition: (await store.headPosition()).toString() }));
      await store.close();
      return 0;
    }
    default:
      process.stderr.write(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
