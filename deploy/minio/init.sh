#!/bin/sh
# One-shot set-up of the compose file's MinIO (run by the minio-init service, from the minio/mc image):
# the uploads bucket, and an access key for the app that may touch that bucket and nothing else.
# Safe to run on every `docker compose up`: each step leaves what is already there as it is.
# CORS is MinIO's server-wide MINIO_API_CORS_ALLOW_ORIGIN (set on the minio service): the community
# edition refuses PutBucketCors, and its global rules allow every method and request header.
set -eu

: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${S3_BUCKET:?}" "${APP_ACCESS_KEY:?}" "${APP_SECRET_KEY:?}"

mc alias set store http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing "store/$S3_BUCKET"

policy_file="${TMPDIR:-/tmp}/intake-app-policy.json"
cat > "$policy_file" <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:*"],
      "Resource": ["arn:aws:s3:::$S3_BUCKET", "arn:aws:s3:::$S3_BUCKET/*"]
    }
  ]
}
POLICY
mc admin policy create store intake-app "$policy_file"
mc admin user add store "$APP_ACCESS_KEY" "$APP_SECRET_KEY"
# Attaching a policy the user already has is an error to mc; a second `up` finds it attached. Shell and
# coreutils only: the minio/mc image is a minimal one.
attached=""
user_info="$(mc admin user info store "$APP_ACCESS_KEY")"
while IFS= read -r line; do
  case "$line" in PolicyName:*) attached="${line#PolicyName:}" ;; esac
done <<INFO
$user_info
INFO
case ",$(echo $attached | tr -d ' ')," in
  *,intake-app,*) ;;
  *) mc admin policy attach store intake-app --user "$APP_ACCESS_KEY" ;;
esac
echo "bucket $S3_BUCKET ready; CORS allows ${MINIO_API_CORS_ALLOW_ORIGIN:-the server's setting}"
