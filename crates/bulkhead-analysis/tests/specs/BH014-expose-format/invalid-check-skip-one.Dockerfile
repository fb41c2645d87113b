# check=skip=ExposeProtoCasing
# Skipping BuildKit's ExposeProtoCasing silences the protocol's case only: the host part is BuildKit's
# ExposeInvalidFormat, still reported.
FROM nginx:1.27-alpine
EXPOSE 127.0.0.1:8080:80/TCP 443/UDP
