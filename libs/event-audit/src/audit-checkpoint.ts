/** The stream where periodic checkpoints of the global chain are recorded, as ordinary events. */
export const AUDIT_CHECKPOINT_STREAM = 'audit-checkpoints';
export const AUDIT_CHECKPOINT_RECORDED = 'AuditCheckpointRecorded';

/** The global chain as it stood at a position: anyone holding a copy can later prove the log unchanged up to there. */
export interface AuditCheckpointData {
  /** The last event the checkpoint covers: its position in the store that recorded the checkpoint... */
  position: string;
  /** ...and where it stands in its stream, which an export and import keep (positions they may not). */
  lastStreamId?: string;
  lastRevision?: string;
  /** How many events the log held up to and including that position. */
  eventCount: number;
  /** The global chain's hash at that position. */
  globalHash: string;
  recordedAt: string;
}
