# One tool in exec form and the shell form; an ONBUILD trigger runs in the images built from this one;
# the other tool only in a build stage.
FROM alpine:3.20 AS fetch
RUN ["wget", "-q", "-O", "/tmp/b", "https://example.com/b"]

FROM alpine:3.20
COPY --from=fetch /tmp/b /b
RUN ["curl", "-fsSLo", "/tmp/a", "https://example.com/a"]
RUN curl -fsSL -o /tmp/c https://example.com/c
ONBUILD RUN ["wget", "-q", "https://example.com/d"]
RUN ["echo", "wget"]
