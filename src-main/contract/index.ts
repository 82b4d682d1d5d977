/** Everything the renderer may use from the contract, in one import. */
export * from './bridge';
export * from './cluster';
export * from './contract';
export * from './inputs';
export * from './kinds';
export * from './objects';
export * from './result';
export * from './rows';
export * from './streams';
export * from './subscription-message';
export * from './ws-protocol';
export * from './observability';
