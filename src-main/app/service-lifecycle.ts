/** A long-lived part of the backend the shell runs while the app is open (the local engine will be one). */
export interface ShellService {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts services in order and stops them in reverse; if one fails to start, those already started are stopped. */
export class ServiceLifecycle {
  private readonly started: ShellService[] = [];

  constructor(private readonly services: readonly ShellService[]) {}

  async start(): Promise<void> {
    for (const service of this.services) {
      try {
        await service.start();
      } catch (error) {
        await this.stop().catch(() => {});
        throw new Error(`${service.name} failed to start`, { cause: error });
      }
      this.started.push(service);
    }
  }

  /** Stops everything started, even past failures, then reports them together. Safe to call twice. */
  async stop(): Promise<void> {
    const failures: unknown[] = [];
    for (let service = this.started.pop(); service; service = this.started.pop()) {
      try {
        await service.stop();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, 'some services failed to stop');
  }
}
