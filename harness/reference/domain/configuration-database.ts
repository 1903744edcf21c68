// The configuration server's database, a real embedded SQLite database per server: failback
// needs the machine's record in it (FB-CS-DATABASE), so it can be backed up, lose a record
// and be restored.
import { DatabaseSync } from "node:sqlite";

export class ConfigurationDatabase {
  private opened?: DatabaseSync;
  private backups = 0;

  /** Opened on first use: most sessions never touch it, and opening one costs about half a millisecond. */
  private get db(): DatabaseSync {
    if (!this.opened) {
      this.opened = new DatabaseSync(":memory:");
      this.opened.exec("CREATE TABLE machines (name TEXT PRIMARY KEY)");
    }
    return this.opened;
  }

  record(machine: string): void {
    this.db.prepare("INSERT OR IGNORE INTO machines (name) VALUES (?)").run(machine);
  }

  has(machine: string): boolean {
    return this.db.prepare("SELECT 1 FROM machines WHERE name = ?").get(machine) !== undefined;
  }

  /** Returns whether there was a record to lose. */
  drop(machine: string): boolean {
    return Number(this.db.prepare("DELETE FROM machines WHERE name = ?").run(machine).changes) > 0;
  }

  machines(): string[] {
    return this.db
      .prepare("SELECT name FROM machines ORDER BY name")
      .all()
      .map((row) => String(row.name));
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

  close(): void {
    this.opened?.close();
    this.opened = undefined;
  }

  /** Session snapshots (tests comparing state) see the records. */
  toJSON(): { machines: string[]; backups: number } {
    return { machines: this.machines(), backups: this.backups };
  }
}
