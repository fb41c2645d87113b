# BuildKit reads `.`, `..` and paths ending in `/.` as directories.
FROM alpine:3.20
WORKDIR /app
COPY package.json package-lock.json .
COPY a.txt b.txt ..
ADD one.conf two.conf /etc/app/.
# A flag without `=` is BH000's syntax error, not a missing slash.
COPY --from build /out/app /out/lib /usr/local/bin
COPY --link a.txt b.txt /srv/
