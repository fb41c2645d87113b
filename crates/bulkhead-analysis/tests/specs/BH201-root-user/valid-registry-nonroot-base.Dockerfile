# The registry says the base image runs as UID 1000: no USER needed here.
FROM registry.example.com/team/python-app-base:3.12
COPY app.py /app/
CMD ["python", "/app/app.py"]
