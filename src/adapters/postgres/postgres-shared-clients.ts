// Which pooled client each connection of a server provider uses, and how many use it at once: a
// follower (Adapter.follow, issue 18) shares its leader's client, which goes back to the pool only
// when both are done (as broken if either found it broken).
export class SharedClients<C extends object> {
  private readonly clients = new WeakMap<object, C>();
  private readonly users = new Map<C, { count: number; broken: boolean }>();

  /** `conn` uses `client` from now on. */
  use(conn: object, client: C): void {
    this.clients.set(conn, client);
    const users = this.users.get(client);
    if (users) users.count++;
    else this.users.set(client, { count: 1, broken: false });
  }

  /** The client `conn` uses, while it does. */
  clientOf(conn: object): C | undefined {
    return this.clients.get(conn);
  }

  /** `conn` is done with its client (`broken`: it found the session unusable); true when no connection uses the client any more. */
  end(conn: object, broken: boolean): boolean {
    const client = this.clients.get(conn);
    this.clients.delete(conn);
    const users = client ? this.users.get(client) : undefined;
    if (!client || !users) return true;
    users.broken ||= broken;
    users.count--;
    return users.count === 0;
  }

  /** Whether a user of `client` found it broken; forgets the client (it goes back to the pool). */
  broken(client: C): boolean {
    const broken = this.users.get(client)?.broken ?? false;
    this.users.delete(client);
    return broken;
  }
}
