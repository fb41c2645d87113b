# Not an official image: its tag says nothing the table knows.
FROM example/python:3.8
CMD ["python"]
