# check=skip=JSONArgsRecommended
# bulkhead global ignore=BH601
FROM alpine:3.20
# ignore this comment, it is prose
USER 65532:65532
