import { dirname } from 'node:path';
import {
  AccessDeniedError as KurrentAccessDenied,
  AppendRecordSizeExceededError as KurrentAppendRecordSizeExceeded,
  CancelledError as KurrentCancelled,
  DeadlineExceededError as KurrentDeadlineExceeded,
  MaxAppendSizeExceededError as KurrentMaxAppendSizeExceeded,
  NotLeaderError as KurrentNotLeader,
  StreamDeletedError as KurrentStreamDeleted,
  StreamNotFoundError as KurrentStreamNotFound,
  StreamTombstonedError as KurrentStreamTombstoned,
  TimeoutError as KurrentTimeout,
  TransactionMaxSizeExceededError as KurrentTransactionMaxSizeExceeded,
  UnavailableError as KurrentUnavailable,
  UnknownError as KurrentUnknown,
  WrongExpectedVersionError as KurrentWrongExpectedVersion,
  convertToCommandError,
} from '@kurrent/kurrentdb-client';
import {
  AppendTooLargeError,
  asLogPosition,
  EventStoreUnavailableError,
  InvalidPositionError,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@itsm/event-store';
import { mapKurrentError } from '../src/kurrentdb-mapping';

/**
 * Every client error the adapter maps, built as client 1.3.1 builds it, so no server is needed.
 * The second half feeds statuses shaped as the server sends them (KurrentDB
 * src/KurrentDB.Core/Services/Transport/Grpc/RpcExceptions.cs and Status.cs) through the client's
 * own converters, so the mapping is checked against what the client really hands us.
 */
const onAppend = { streamId: 'incident-1', expected: 3n } as const;
const onRead = { streamId: '$all', position: asLogPosition(4242n) };

const unavailable = (error: unknown, reason: EventStoreUnavailableError['reason']) => {
  expect(error).toBeInstanceOf(EventStoreUnavailableError);
  expect((error as EventStoreUnavailableError).reason).toBe(reason);
  expect((error as EventStoreUnavailableError).code).toBe('EVENT_STORE.UNAVAILABLE');
};

describe('KurrentDB error mapping: the client’s error classes (no server needed)', () => {
  it('wrong expected version → WrongExpectedVersionError with the expected and actual revision', () => {
    const err = new KurrentWrongExpectedVersion(undefined, { streamName: 'incident-1', expected: 3n, current: 7n });
    const mapped = mapKurrentError(err, onAppend) as WrongExpectedVersionError;
    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect([mapped.streamId, mapped.expected, mapped.actual]).toEqual(['incident-1', 3n, 7n]);
    const missing = new KurrentWrongExpectedVersion(undefined, { streamName: 'incident-1', expected: 0n, current: 'no_stream' } as never);
    expect((mapKurrentError(missing, { streamId: 'incident-1', expected: 0n }) as WrongExpectedVersionError).actual).toBe('no_stream');
    // Without the caller's expectation, the server's is kept.
    expect((mapKurrentError(err, { streamId: 'incident-1' }) as WrongExpectedVersionError).expected).toBe(3n);
  });

  it('stream not found → StreamNotFoundError', () => {
    const mapped = mapKurrentError(new KurrentStreamNotFound(undefined, 'incident-2'), { streamId: 'incident-2' });
    expect(mapped).toBeInstanceOf(StreamNotFoundError);
    expect((mapped as StreamNotFoundError).streamId).toBe('incident-2');
  });

  it('stream deleted (soft delete or tombstone; append or read) → StreamDeletedError naming the stream', () => {
    for (const err of [KurrentStreamDeleted.fromStreamName('incident-3'), new KurrentStreamTombstoned(undefined as never, { stream: 'incident-3' })]) {
      const mapped = mapKurrentError(err, { streamId: 'incident-3' }) as StreamDeletedError;
      expect(mapped).toBeInstanceOf(StreamDeletedError);
      expect(mapped.code).toBe('EVENT_STORE.STREAM_DELETED');
      expect(mapped.streamId).toBe('incident-3');
    }
  });

  it('max append size exceeded → AppendTooLargeError carrying the server’s limit', () => {
    const mapped = mapKurrentError(KurrentMaxAppendSizeExceeded.fromMaxAppendSize(1_048_576), onAppend) as AppendTooLargeError;
    expect(mapped).toBeInstanceOf(AppendTooLargeError);
    expect(mapped.code).toBe('EVENT_STORE.APPEND_TOO_LARGE');
    expect([mapped.streamId, mapped.maxAppendSize]).toEqual(['incident-1', 1_048_576]);
  });

  it('record or transaction size exceeded (the v2 append API) → AppendTooLargeError', () => {
    const record = new KurrentAppendRecordSizeExceeded(undefined as never, { stream: 'incident-1', recordId: 'r', size: 20_000_000, maxSize: 16_777_216 });
    const transaction = new KurrentTransactionMaxSizeExceeded(undefined as never, { size: 300_000_000, maxSize: 268_435_456 });
    expect((mapKurrentError(record, onAppend) as AppendTooLargeError).maxAppendSize).toBe(16_777_216);
    expect((mapKurrentError(transaction, onAppend) as AppendTooLargeError).maxAppendSize).toBe(268_435_456);
  });

  it('an event over the per-event limit of 25.1+, known to the client only as UnknownError → AppendTooLargeError', () => {
    // Batch append: unpackError.js does not know MaximumAppendEventSizeExceeded.
    const batch = new KurrentUnknown(undefined, 'Could not recognize MaximumAppendEventSizeExceeded');
    expect(mapKurrentError(batch, onAppend)).toBeInstanceOf(AppendTooLargeError);
    // Streaming append: the InvalidArgument status text (RpcExceptions.MaxAppendEventSizeExceeded).
    const single = new KurrentUnknown(undefined, '3 INVALID_ARGUMENT: Event with Id: e1, Size: 17000000, exceeds Maximum Append Event Size of 16777216.');
    expect((mapKurrentError(single, onAppend) as AppendTooLargeError).maxAppendSize).toBe(16_777_216);
  });

  it('not leader → EventStoreUnavailableError(not_leader), naming the leader', () => {
    const err = new KurrentNotLeader({
      metadata: { 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' },
      message: 'Leader info available',
    } as never);
    const mapped = mapKurrentError(err, onAppend);
    unavailable(mapped, 'not_leader');
    expect((mapped as Error).message).toContain('node2:2113');
    unavailable(mapKurrentError(new KurrentUnknown(undefined, '2 UNKNOWN: No leader info available in response'), onAppend), 'not_leader');
  });

  it('unavailable, server not ready or too busy → EventStoreUnavailableError(unavailable)', () => {
    unavailable(mapKurrentError(new KurrentUnavailable(undefined, '14 UNAVAILABLE: No connection established'), onAppend), 'unavailable');
    // Reads go through the Rust bridge, which reports an Unavailable status as UnknownError "Server-side error: ...".
    unavailable(
      mapKurrentError(new KurrentUnknown(undefined, 'Server-side error: status: Unavailable, message: "Server Is Not Ready"'), onRead),
      'unavailable',
    );
    unavailable(mapKurrentError(new KurrentUnknown(undefined, 'Server-side error: Server Is Too Busy'), onRead), 'unavailable');
  });

  it('access denied → EventStoreUnavailableError(access_denied)', () => {
    unavailable(mapKurrentError(new KurrentAccessDenied(undefined, 'Access Denied'), onAppend), 'access_denied');
  });

  it('deadline exceeded or a server write timeout → EventStoreUnavailableError(deadline_exceeded)', () => {
    unavailable(mapKurrentError(new KurrentDeadlineExceeded(), onAppend), 'deadline_exceeded');
    unavailable(mapKurrentError(new KurrentTimeout(undefined, '10 ABORTED: Operation timed out: commit'), onAppend), 'deadline_exceeded');
  });

  it('invalid position (readAll: UnknownError via the bridge; subscription: InvalidArgument via grpc-js) → InvalidPositionError', () => {
    const read = new KurrentUnknown(
      undefined,
      'Server-side error: status: Unknown, message: "Unexpected FilteredReadAllResult: InvalidPosition >> Invalid position."',
    );
    const mapped = mapKurrentError(read, onRead) as InvalidPositionError;
    expect(mapped).toBeInstanceOf(InvalidPositionError);
    expect(mapped.position).toBe('4242');
    const subscribe = new KurrentUnknown(undefined, '3 INVALID_ARGUMENT: Trying to read from an invalid position.');
    expect(mapKurrentError(subscribe, onRead)).toBeInstanceOf(InvalidPositionError);
  });

  it('passes anything else through unchanged', () => {
    for (const other of [new Error('network'), new KurrentUnknown(undefined, 'something else'), new KurrentCancelled(), 'a string']) {
      expect(mapKurrentError(other, onAppend)).toBe(other);
    }
  });
});

describe('KurrentDB error mapping: server-shaped failures through the client’s own converters (no server needed)', () => {
  // The client's dependencies, resolved from the client so that its instances are the ones it checks against.
  /* eslint-disable @typescript-eslint/no-require-imports -- the client's own copies and untyped internals: an import would bind the test's copies */
  const fromClient = (id: string) => require(require.resolve(id, { paths: [dirname(require.resolve('@kurrent/kurrentdb-client'))] }));
  const { Metadata, status } = fromClient('@grpc/grpc-js');
  const { Any } = fromClient('google-protobuf/google/protobuf/any_pb');
  const { convertBridgeError } = require('@kurrent/kurrentdb-client/dist/utils/convertBridgeError');
  const { unpackToCommandError } = require('@kurrent/kurrentdb-client/dist/streams/appendToStream/unpackError');
  const shared = require('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb');
  const { Status } = require('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb');
  /* eslint-enable @typescript-eslint/no-require-imports */

  /** A grpc-js ServiceError as the server's RpcException arrives (code, text, trailers). */
  const serviceError = (code: number, details: string, trailers: Record<string, string> = {}) => {
    const metadata = new Metadata();
    for (const [k, v] of Object.entries(trailers)) metadata.set(k, v);
    return Object.assign(new Error(`${code} ${details}`), { code, details, metadata });
  };
  /** A batch-append error status (Status.cs): a message name and a packed detail. */
  const batchStatus = (typeName: string, detail: { serializeBinary(): Uint8Array }) => {
    const any = new Any();
    any.pack(detail.serializeBinary(), typeName);
    return new Status().setCode(3).setMessage(typeName.split('.').pop()).setDetails(any);
  };
  /** An error of the Rust bridge (crates/bridge/src/error.rs of KurrentDB-Bridge-Client). */
  const bridgeError = (name: string, message: string, metadata: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, metadata });

  it('append: MaxAppendSizeExceeded trailers (streaming append) → AppendTooLargeError', () => {
    const err = convertToCommandError(
      serviceError(status.INVALID_ARGUMENT, 'Maximum Append Size of 1048576 Exceeded.', {
        exception: 'maximum-append-size-exceeded',
        'maximum-append-size': '1048576',
      }),
    );
    expect((mapKurrentError(err, onAppend) as AppendTooLargeError).maxAppendSize).toBe(1_048_576);
  });

  it('append: MaxAppendEventSizeExceeded trailers (25.1+, streaming append) → AppendTooLargeError', () => {
    const err = convertToCommandError(
      serviceError(status.INVALID_ARGUMENT, 'Event with Id: e1, Size: 17000000, exceeds Maximum Append Event Size of 16777216.', {
        exception: 'maximum-append-event-size-exceeded',
        'maximum-append-event-size': '16777216',
      }),
    );
    expect(err).toBeInstanceOf(KurrentUnknown);
    expect((mapKurrentError(err, onAppend) as AppendTooLargeError).maxAppendSize).toBe(16_777_216);
  });

  it('batch append: MaximumAppendSizeExceeded and MaximumAppendEventSizeExceeded details → AppendTooLargeError', () => {
    const total = unpackToCommandError(
      batchStatus('event_store.client.MaximumAppendSizeExceeded', new shared.MaximumAppendSizeExceeded().setMaxappendsize(1_048_576)),
      'incident-1',
    );
    expect((mapKurrentError(total, onAppend) as AppendTooLargeError).maxAppendSize).toBe(1_048_576);
    const perEvent = unpackToCommandError(batchStatus('event_store.client.MaximumAppendEventSizeExceeded', new shared.Empty()), 'incident-1');
    expect(mapKurrentError(perEvent, onAppend)).toBeInstanceOf(AppendTooLargeError);
  });

  it('batch append: StreamDeleted, AccessDenied and Timeout details → port errors', () => {
    const deleted = unpackToCommandError(batchStatus('event_store.client.StreamDeleted', new shared.StreamDeleted()), 'incident-1');
    expect(mapKurrentError(deleted, onAppend)).toBeInstanceOf(StreamDeletedError);
    unavailable(
      mapKurrentError(unpackToCommandError(batchStatus('event_store.client.AccessDenied', new shared.AccessDenied()), 'incident-1'), onAppend),
      'access_denied',
    );
    unavailable(
      mapKurrentError(unpackToCommandError(batchStatus('event_store.client.Timeout', new shared.Timeout()), 'incident-1'), onAppend),
      'deadline_exceeded',
    );
  });

  it('append: stream deleted, not leader, server not ready, access denied, deadline (trailers and status codes) → port errors', () => {
    const deleted = convertToCommandError(
      serviceError(status.FAILED_PRECONDITION, "Event stream 'incident-1' is deleted.", { exception: 'stream-deleted', 'stream-name': 'incident-1' }),
    );
    expect(mapKurrentError(deleted, onAppend)).toBeInstanceOf(StreamDeletedError);
    const leader = convertToCommandError(
      serviceError(status.NOT_FOUND, 'Leader info available', { exception: 'not-leader', 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' }),
    );
    unavailable(mapKurrentError(leader, onAppend), 'not_leader');
    unavailable(mapKurrentError(convertToCommandError(serviceError(status.UNAVAILABLE, 'Server Is Not Ready')), onAppend), 'unavailable');
    unavailable(
      mapKurrentError(convertToCommandError(serviceError(status.PERMISSION_DENIED, 'Access Denied', { exception: 'access-denied' })), onAppend),
      'access_denied',
    );
    unavailable(mapKurrentError(convertToCommandError(serviceError(status.DEADLINE_EXCEEDED, 'Deadline exceeded')), onAppend), 'deadline_exceeded');
  });

  it('subscription from an invalid position (InvalidArgument) → InvalidPositionError', () => {
    const err = convertToCommandError(serviceError(status.INVALID_ARGUMENT, 'Trying to read from an invalid position.'));
    expect((mapKurrentError(err, onRead) as InvalidPositionError).position).toBe('4242');
  });

  it('reads through the Rust bridge: deleted, not found, not leader, unavailable, access denied, invalid position → port errors', () => {
    expect(
      mapKurrentError(convertBridgeError(bridgeError('StreamDeletedError', 'StreamDeletedError'), 'incident-1'), { streamId: 'incident-1' }),
    ).toBeInstanceOf(StreamDeletedError);
    expect(
      mapKurrentError(convertBridgeError(bridgeError('StreamNotFoundError', 'StreamNotFoundError'), 'incident-1'), { streamId: 'incident-1' }),
    ).toBeInstanceOf(StreamNotFoundError);
    const leader = bridgeError('NotLeaderError', 'NotLeaderError', { 'leader-endpoint-host': 'node2', 'leader-endpoint-port': 2113 });
    unavailable(mapKurrentError(convertBridgeError(leader), onRead), 'not_leader');
    unavailable(mapKurrentError(convertBridgeError(bridgeError('UnavailableError', 'UnavailableError')), onRead), 'unavailable');
    unavailable(mapKurrentError(convertBridgeError(bridgeError('AccessDeniedError', 'AccessDeniedError')), onRead), 'access_denied');
    unavailable(mapKurrentError(convertBridgeError(bridgeError('DeadlineExceededError', 'DeadlineExceededError')), onRead), 'deadline_exceeded');
    const invalid = 'Server-side error: status: Unknown, message: "Unexpected FilteredReadAllResult: InvalidPosition >> Invalid position."';
    expect(mapKurrentError(convertBridgeError(bridgeError('UnknownError', invalid, { detail: invalid })), onRead)).toBeInstanceOf(InvalidPositionError);
  });
});
