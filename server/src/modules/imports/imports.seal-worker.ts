import { parentPort, workerData } from 'node:worker_threads';
import type { Keyring } from '../../config.ts';
import { sealHere, type SealRequest } from './imports.seal.ts';

/** The worker thread of `SealWorker` (imports.seal.ts): one batch per message. */
const ring = (workerData as { ring: Keyring }).ring;
parentPort!.on('message', (m: SealRequest) => { parentPort!.postMessage({ ...sealHere(ring, m), onWorker: true }); });
