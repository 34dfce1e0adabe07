# RCM container image (docs/operating.md "Deployment"; docs DESIGN.md §9).
#
#   docker build -t ghcr.io/OWNER/rcm:TAG .
#   docker run --rm -p 8000:8000 -e DATABASE_URL=postgres://… ghcr.io/OWNER/rcm:TAG
#
# One image for every role: the default command is the HTTP server; Kubernetes runs the workers
# (`worker`) and the migration Job (`migrate --yes`) from the same image by passing other
# arguments to the `rcm` entry point.
#
# Base images: the official Swift images on Ubuntu 24.04 "noble"; the build stage is pinned to
# the toolchain the project builds with (Swift 6.3.1, README "Set-up on a fresh machine"). Pin
# digests as well (`swift:6.3.1-noble@sha256:…`) when a dependency bot keeps them current.

# ---------------------------------------------------------------------------------------------
# Build stage: the full toolchain (compiler, SwiftPM, git, zlib1g-dev for the CZlib target), and
# OpenSSL's headers for the COpenSSL target (JWE's RSA private-key operation).
FROM swift:6.3.1-noble AS build

RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libssl-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Resolve the dependencies first, so that this layer is cached while only sources change.
# `Package.*` also takes Package.resolved when the build context has one (it is git-ignored).
COPY Package.* ./
RUN swift package resolve

# SwiftPM checks every target's folder, so the test and benchmark folders come too; only the
# `rcm` product is built.
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks

# Release build with the Swift runtime and Foundation linked in statically: the binary needs only
# the C libraries of the base system (glibc, zlib, OpenSSL's libcrypto) at run time.
RUN swift build -c release --product rcm --static-swift-stdlib \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/rcm" /staging/rcm \
    && cp -R "$(swift build -c release --show-bin-path)/rcm_RCMServer.resources" /staging/

# ---------------------------------------------------------------------------------------------
# Runtime stage: the slim Swift image (Ubuntu 24.04 with the Swift runtime libraries, no
# compiler). It has /bin/sleep for the Kubernetes preStop hook, but no curl. The binary carries
# its own Swift runtime, so this stage follows the 6.3 line (`6.3-noble-slim`, rebuilt with each
# Ubuntu security update) rather than a patch tag that stops being rebuilt.
FROM swift:6.3-noble-slim

# ca-certificates: TLS to PostgreSQL (sslmode=verify-full) and to the HCX gateway.
# curl: the HEALTHCHECK below (the slim image ships libcurl but not the curl program).
# libssl3t64: OpenSSL 3's libcrypto, which the binary links for JWE's RSA private-key operation.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends ca-certificates curl libssl3t64 \
    && rm -rf /var/lib/apt/lists/*

# A fixed, unprivileged user (uid/gid 10001), matching runAsUser in k8s/deployment.yaml.
# /var/lib/rcm is its only writable folder and the working directory: outside Kubernetes the
# defaults `./rcm.sqlite` (DATABASE_URL unset) and `./.rcm/keys` (RCM_KEYS_DIR unset) land there.
RUN groupadd --gid 10001 rcm \
    && useradd --uid 10001 --gid 10001 --no-log-init --no-create-home --home-dir /var/lib/rcm \
        --shell /usr/sbin/nologin rcm \
    && install -d -o 10001 -g 10001 -m 0750 /var/lib/rcm

# Only the binary, the console's templates and style sheet (the resource bundle Foundation's
# Bundle.module finds beside the executable) and the code sets, owned by root and read-only for the
# service. The layout is the one CodeSetFiles.dataDirectory() expects beside the executable
# (/app/bin/rcm -> /app/data); RCM_DATA_DIR says so explicitly.
COPY --from=build /staging/rcm /app/bin/rcm
COPY --from=build /staging/rcm_RCMServer.resources /app/bin/rcm_RCMServer.resources
COPY data /app/data

ENV RCM_DATA_DIR=/app/data \
    PATH=/app/bin:$PATH

WORKDIR /var/lib/rcm
USER 10001:10001

# `rcm serve --port 8000`; Kubernetes' Service maps port 80 to it.
EXPOSE 8000

# Liveness of the HTTP server (readiness, which also needs the database and current migrations,
# is Kubernetes' readinessProbe on /health/ready). Only for the server: run `worker` or `migrate`
# containers with `docker run --no-healthcheck`.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8000/health/live"]

# SIGTERM (Docker's and Kubernetes' stop signal): the server stops accepting connections and
# finishes in-flight requests; workers give their leases back.
STOPSIGNAL SIGTERM

ENTRYPOINT ["/app/bin/rcm"]
CMD ["serve", "--hostname", "0.0.0.0", "--port", "8000"]
