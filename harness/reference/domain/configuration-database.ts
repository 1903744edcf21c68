// The configuration server's database, a real embedded SQLite database per server: failback
// needs the machine's record in it (FB-CS-DATABASE), so it can be backed up, lose a record
// and be restored.
import { DatabaseSync, type StatementSync } from "node:sqlite";

/** An in-memory SQLite connection with the schema, and its statements prepared once. */
interface Connection {
  db: DatabaseSync;
  insert: StatementSync;
  select: StatementSync;
  remove: StatementSync;
  list: StatementSync;
  attached: StatementSync;
  clear: StatementSync;
}

function connect(): Connection {
  const db = new DatabaseSync(":memory:");
  db.exec("CREATE TABLE machines (name TEXT PRIMARY KEY)");
  return {
    db,
    insert: db.prepare("INSERT OR IGNORE INTO machines (name) VALUES (?)"),
    select: db.prepare("SELECT 1 FROM machines WHERE name = ?"),
    remove: db.prepare("DELETE FROM machines WHERE name = ?"),
    list: db.prepare("SELECT name FROM machines ORDER BY name"),
    attached: db.prepare("SELECT name FROM pragma_database_list WHERE name NOT IN ('main', 'temp')"),
    clear: db.prepare("DELETE FROM main.machines"),
  };
}

// Connections of databases closed by their servers, emptied, for the next server that opens one:
// a fresh connection with its schema and statements costs about 0.1 ms, and nearly every session
// of a suite run opens a database (each machine replicated through a configuration server has its
// record written there), where an emptied one costs a few microseconds.
const idle: Connection[] = [];
const maxIdle = 8;

/**
 * Back to the state `connect` gives (no record, nothing attached, no transaction) and kept for
 * reuse; closed instead when the pool is full or it cannot be emptied.
 */
function release(connection: Connection): void {
  if (idle.length < maxIdle)
    try {
      if (connection.db.isTransaction) connection.db.exec("ROLLBACK");
      for (const row of connection.attached.all())
        connection.db.exec(`DETACH DATABASE "${String(row.name)}"`);
      connection.clear.run();
      idle.push(connection);
      return;
    } catch {
      // It cannot be emptied: closed below.
    }
  connection.db.close();
}

export class ConfigurationDatabase {
  private opened?: Connection;
  private backups = 0;

  /** Opened on first use: a server whose database nobody writes or reads needs none. */
  private get connection(): Connection {
    this.opened ??= idle.pop() ?? connect();
    return this.opened;
  }

  private get db(): DatabaseSync {
    return this.connection.db;
  }

  record(machine: string): void {
    this.connection.insert.run(machine);
  }

  has(machine: string): boolean {
    return this.connection.select.get(machine) !== undefined;
  }

  /** Returns whether there was a record to lose. */
  drop(machine: string): boolean {
    return Number(this.connection.remove.run(machine).changes) > 0;
  }

  machines(): string[] {
    return this.connection.list.all().map((row) => String(row.name));
  }

  /** Copies the database into an attached in-memory database; returns its id. */
  backup(): string {
    const id = `backup-${++this.backups}`;
    this.db.exec(`ATTACH DATABASE ':memory:' AS "${id}"`);
    this.db.exec(`CREATE TABLE "${id}".machines AS SELECT * FROM main.machines`);
    return id;
  }

  hasBackup(id: string): boolean {
    return /^backup-[0-9]+$/.test(id) && Number(id.slice("backup-".length)) <= this.backups;
  }

  restore(id: string): void {
    this.db.exec("BEGIN");
    this.db.exec("DELETE FROM main.machines");
    this.db.exec(`INSERT INTO main.machines SELECT * FROM "${id}".machines`);
    this.db.exec("COMMIT");
  }

  /** Ends this server's database: its records and backups are gone (the connection is emptied for reuse). */
  close(): void {
    if (this.opened) release(this.opened);
    this.opened = undefined;
  }

  /** Session snapshots (tests comparing state) see the records. */
  toJSON(): { machines: string[]; backups: number } {
    return { machines: this.machines(), backups: this.backups };
  }
}
