# An OS image leaves the working directory at `/`: a hint, the place is known.
FROM busybox:1.37 AS files
COPY data.txt .

# A stage on it inherits that.
FROM files
COPY more.txt sub/

# A language image sets its own directory (or none): the warning stays.
FROM node:22-alpine
COPY package.json .
