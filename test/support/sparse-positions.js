// Jest setup of the ":sparse" projects: every embedded event store opened by these suites hands
// out server-shaped positions (see SqliteEventStore's `positions` option).
process.env.ITSM_SQLITE_POSITIONS = 'sparse';
