# The same full image under an app is reported.
FROM buildpack-deps:bookworm
COPY app.py /app/
CMD ["python3", "/app/app.py"]
