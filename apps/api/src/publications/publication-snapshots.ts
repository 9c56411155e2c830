import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@itsm/read-store';

const COLLECTION = 'publication_snapshots';

/**
 * The documents of publications as published, kept beside the read models: a cache, like them,
 * never the record. The record is the FiguresPublished event (position, digest); a snapshot lost
 * with the read store is rebuilt once by a replay up to that position and checked against the digest.
 * Each is kept as the JSON text it was written as, so it reads back byte for byte in either store.
 */
@Injectable()
export class PublicationSnapshots {
  private declared: Promise<void> | undefined;

  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async get(publicationId: string): Promise<string | undefined> {
    await this.ready();
    return (await this.reads.get<{ document: string }>(COLLECTION, publicationId))?.document;
  }

  async put(publicationId: string, document: string): Promise<void> {
    await this.ready();
    await this.reads.upsert(COLLECTION, publicationId, { id: publicationId, document });
  }

  private ready(): Promise<void> {
    this.declared ??= this.reads.declareCollection(COLLECTION, []).catch((error: unknown) => {
      this.declared = undefined; // try again on the next request
      throw error;
    });
    return this.declared;
  }
}
