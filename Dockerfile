# sim-native in a small image, for running sweep shards on a batch engine
# (Kubernetes Indexed Jobs; see docs/SCALE-OUT.md):
#
#   docker build -t sim-native .
#   docker run --rm sim-native sweep --help
#   docker run --rm -v "$PWD:/work" -u "$(id -u)" sim-native sweep ... --csv knee.csv
#
# The image's user (uid 65532) cannot write its working directory /work: outputs go to a
# mounted directory, as above, or to the volume of the part files (--out).
#
# Build stage: a static binary (no cgo, so no libc needed at run time). The version
# control stamp is left out (-buildvcs=false) so that the build works from any checkout,
# worktrees included; the plan id of a sweep includes the build, so run the shards and
# the merge with the same image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags='-s -w' -o /out/sim-native ./cmd/sim-native

# Run stage: only the binary, CA certificates and time zones, as a non-root user
# (uid 65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sim-native /usr/local/bin/sim-native
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/sim-native"]
