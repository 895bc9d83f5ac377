# The lbsim command line in an image, for sweeps sharded across a cluster (deploy/kubernetes/sweep-job.yaml).
# Installed from the lockfile only (npm ci), so every pod runs the same dependency versions: a sweep's shards may
# only be merged when they ran the same lbsim (the shard files' fingerprints check it).
FROM node:20-bookworm-slim AS build
WORKDIR /lbsim
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
# `npm ci` runs the package's prepare script, which compiles src/ to dist/.
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /lbsim
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /lbsim/dist ./dist
COPY scenarios ./scenarios
USER node
ENTRYPOINT ["node", "/lbsim/dist/cli/main.js"]
CMD ["--help"]
