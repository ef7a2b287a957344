#!/usr/bin/env bash
# review-comment.sh github|gitlab BODY_FILE: makes BODY_FILE the one sticky
# review comment of a pull (merge) request: updates the comment whose body
# starts with BODY_FILE's first line (the marker line review.sh writes,
# `<!-- code-indexer review -->`), or posts a new one if there is none, so
# that each push updates one comment instead of adding another.
#
#   github  needs gh (https://cli.github.com), GH_TOKEN (a token that may
#           write pull-request comments: the workflow's github.token with
#           `pull-requests: write`), GITHUB_REPOSITORY (owner/name, set by
#           GitHub Actions) and PR_NUMBER.
#   gitlab  needs curl and jq, CI_API_V4_URL, CI_PROJECT_ID and
#           CI_MERGE_REQUEST_IID (set by GitLab CI in merge request
#           pipelines) and GITLAB_TOKEN (a project access token with the
#           `api` scope: CI_JOB_TOKEN cannot write notes).
#
# Exits 0 when the comment is posted or updated, 1 otherwise.
set -euo pipefail

usage() {
  echo "usage: review-comment.sh github|gitlab BODY_FILE" >&2
  exit 1
}
[[ $# -eq 2 ]] || usage
FORGE=$1
BODY=$2
[[ -f $BODY ]] || {
  echo "review-comment.sh: no file '$BODY'" >&2
  exit 1
}
MARKER=$(head -n 1 "$BODY")
if [[ $MARKER != '<!--'*'-->' || $MARKER == *[\"\\]* ]]; then
  echo "review-comment.sh: the first line of '$BODY' is not a marker comment (<!-- ... -->, no quotes)" >&2
  exit 1
fi

case "$FORGE" in
github)
  : "${GITHUB_REPOSITORY:?}" "${PR_NUMBER:?}"
  REPO="repos/$GITHUB_REPOSITORY"
  # The marker has no quote or backslash (checked above), so it can sit in
  # the jq string as is.
  ID=$(gh api --paginate "$REPO/issues/$PR_NUMBER/comments" \
    --jq ".[] | select(.body | startswith(\"$MARKER\")) | .id" | head -n 1)
  if [[ -n $ID ]]; then
    gh api --method PATCH "$REPO/issues/comments/$ID" -F "body=@$BODY" >/dev/null
    echo "review-comment.sh: updated comment $ID" >&2
  else
    gh api --method POST "$REPO/issues/$PR_NUMBER/comments" -F "body=@$BODY" >/dev/null
    echo "review-comment.sh: posted a comment" >&2
  fi
  ;;
gitlab)
  : "${CI_API_V4_URL:?}" "${CI_PROJECT_ID:?}" "${CI_MERGE_REQUEST_IID:?}" "${GITLAB_TOKEN:?}"
  API="$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"
  AUTH="PRIVATE-TOKEN: $GITLAB_TOKEN"
  ID=
  for ((PAGE = 1; PAGE <= 100; ++PAGE)); do
    NOTES=$(curl -sSf --header "$AUTH" "$API?per_page=100&page=$PAGE&sort=asc&order_by=created_at")
    [[ $(jq length <<<"$NOTES") -gt 0 ]] || break
    ID=$(jq -r --arg m "$MARKER" '[.[] | select(.body | startswith($m))][0].id // empty' <<<"$NOTES")
    [[ -z $ID ]] || break
  done
  if [[ -n $ID ]]; then
    curl -sSf --request PUT --header "$AUTH" --data-urlencode "body@$BODY" "$API/$ID" >/dev/null
    echo "review-comment.sh: updated note $ID" >&2
  else
    curl -sSf --request POST --header "$AUTH" --data-urlencode "body@$BODY" "$API" >/dev/null
    echo "review-comment.sh: posted a note" >&2
  fi
  ;;
*)
  usage
  ;;
esac
