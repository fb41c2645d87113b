FROM gcr.io/distroless/static-debian12
RUN curl -fsSL https://example.com/x | tar xz
