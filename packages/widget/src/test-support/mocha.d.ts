// The globals wtr's mocha provides (kept here instead of adding @types/mocha).
type Done = (error?: unknown) => void;
type TestFn = (this: unknown) => void | Promise<unknown>;
declare function describe(name: string, fn: () => void): void;
declare function it(name: string, fn: TestFn): void;
declare function before(fn: TestFn): void;
declare function after(fn: TestFn): void;
declare function beforeEach(fn: TestFn): void;
declare function afterEach(fn: TestFn): void;
