ARG BIN=/usr/bin
FROM debian:bookworm-slim
WORKDIR /usr/bin
COPY tool .
WORKDIR "/usr/bin/routersploit/"
RUN pip install -r requirements.txt
ARG BIN
WORKDIR ${BIN}/../lib
COPY lib/ ./
WORKDIR /proc/self
RUN ls
workdir /etc
copy app.conf app.conf
ONBUILD WORKDIR /bin
