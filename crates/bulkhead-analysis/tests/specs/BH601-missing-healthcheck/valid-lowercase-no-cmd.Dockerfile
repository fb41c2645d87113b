from python:3.12
expose 8000
