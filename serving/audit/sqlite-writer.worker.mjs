// The audit log's writer thread: each message is one group of rows, written in
// one transaction, so one fsync covers the group.
import { parentPort, workerData } from 'node:worker_threads';
import { openAuditStore } from './sqlite-audit-store.mjs';

const store = openAuditStore(workerData.path, workerData.columns);
parentPort.postMessage({ type: 'ready', seq: store.head.seq, hash: store.head.hash });

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    store.close();
    parentPort.close();
    return;
  }
  try {
    store.writeGroup(message.rows);
    parentPort.postMessage({ type: 'written', id: message.id });
  } catch (err) {
    parentPort.postMessage({ type: 'failed', id: message.id, message: String(err?.message) });
  }
});
