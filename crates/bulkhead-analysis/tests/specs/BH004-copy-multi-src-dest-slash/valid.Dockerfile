FROM python:3.12-slim
ARG LATER
COPY requirements.txt setup.py /app/
COPY ["a.txt", "b.txt", "/data/"]
COPY *.json /app
COPY --from=build /out/app /usr/local/bin/app
COPY a b $LATER
