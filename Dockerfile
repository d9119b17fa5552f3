# syntax=docker/dockerfile:1
# One image for every stockstreamer service; the Deployment picks the subcommand:
#   stockstreamer produce prices | produce reddit | process | migrate | dashboard | alerter
#
# No TypeScript build stage: Node 24 strips the types of services/**/*.ts as it
# loads them (erasable syntax only, see tsconfig.json), so the image runs the
# very files the tests ran and tsc (a devDependency) never enters the image.
# Two stages keep npm, its cache and the lockfile work out of the final layer.
#
# Pinned to the Node release the tests run on (24.x); bump with the lockfile.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; no install scripts (none of them needs one).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    STOCKSTREAMER_HOME=/var/lib/stockstreamer \
    STOCKSTREAMER_CREDENTIALS=/etc/stockstreamer/credentials.ini
WORKDIR /app
# Owned by root, read-only to the service user: the root filesystem can be mounted read-only;
# the only writable places are the volumes the pod mounts (STOCKSTREAMER_HOME, /tmp).
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY schemas ./schemas
COPY data ./data
COPY config ./config
COPY k8s/cassandra ./k8s/cassandra
COPY services ./services
RUN printf '#!/bin/sh\nexec node /app/services/cli/main.ts "$@"\n' > /usr/local/bin/stockstreamer \
 && chmod 0755 /usr/local/bin/stockstreamer \
 && mkdir -p /var/lib/stockstreamer /etc/stockstreamer \
 && chown node:node /var/lib/stockstreamer
# The node user of the base image (uid 1000); the pods also say runAsNonRoot.
USER 1000:1000
EXPOSE 9464 8080
# exec'd by the wrapper, node is PID 1 and receives SIGTERM itself: the services
# stop cleanly within 25 s (terminationGracePeriodSeconds is 30).
ENTRYPOINT ["stockstreamer"]
CMD ["--help"]
