# An interpreter running a script is an app, not a base image: a warning with the add-USER fix.
FROM python:3.13-slim
COPY app.py /app/
CMD ["python3", "/app/app.py"]
