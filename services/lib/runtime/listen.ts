import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StockstreamerError } from './errors.ts';

/**
 * server.listen for the HTTP endpoints a person starts by hand (metrics and
 * health of a service, the dashboard): a port another process holds is the
 * usual slip when several services run on one machine, and it must read as
 * one line naming the address and the setting that moves it, not as an
 * EADDRINUSE stack trace. Resolves with the port actually bound (port 0 =
 * any free port).
 */
export function listen(server: Server, where: { port: number; host: string; portSetting: string; hostSetting: string }): Promise<number> {
  const { port, host, portSetting, hostSetting } = where;
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const details = { host, port, errno: err.code };
      if (err.code === 'EADDRINUSE') {
        reject(new StockstreamerError('PORT_IN_USE', `${address} (${portSetting}) is already in use by another process`, { cause: err, details: { ...details, key: portSetting } }));
      } else if (err.code === 'EACCES') {
        reject(new StockstreamerError('CONFIG_INVALID', `${address}: port ${port} needs privileges here; set ${portSetting} to 1024 or above (0 = any free port)`, { cause: err, details: { ...details, key: portSetting } }));
      } else if (err.code === 'EADDRNOTAVAIL') {
        reject(new StockstreamerError('CONFIG_INVALID', `${host} is not an address of this machine; set ${hostSetting} to 127.0.0.1, or to 0.0.0.0 for every interface`, { cause: err, details: { ...details, key: hostSetting } }));
      } else {
        reject(err);
      }
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
