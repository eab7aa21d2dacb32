import pytest
from botocore.exceptions import ClientError

from textract_pipeline.resources.aws_textract import FEATURE_TYPES, AwsTextract, client_request_token
from textract_pipeline.resources.textract import AnalysisRequest, JobStatus, TextractJob
from textract_pipeline_tests.aws.conftest import BUCKET, TEXTRACT_ROLE_ARN, real_response

HASH = "a" * 64


def request(key: str = "incoming/deed.tif", content_hash: str = HASH) -> AnalysisRequest:
    return AnalysisRequest(document_id="deed-1234abcd", object_key=key, content_hash=content_hash, content=b"")


def test_start_sends_features_location_channel_tag_and_an_idempotent_token(
    aws_textract, scripted_textract, completion_channel
):
    first = aws_textract.start_analysis(request())
    again = aws_textract.start_analysis(request())
    other_key = aws_textract.start_analysis(request(key="incoming/copy.tif"))

    assert first.status == JobStatus.IN_PROGRESS and not first.finished
    assert again.job_id == first.job_id  # a retried start is the same job
    assert other_key.job_id != first.job_id  # same bytes elsewhere: Textract would refuse the token reuse
    sent = scripted_textract.start_requests[0]
    assert sent["FeatureTypes"] == FEATURE_TYPES == ["TABLES", "FORMS", "LAYOUT"]
    assert sent["DocumentLocation"] == {"S3Object": {"Bucket": BUCKET, "Name": "incoming/deed.tif"}}
    assert sent["NotificationChannel"] == {"SNSTopicArn": completion_channel[0], "RoleArn": TEXTRACT_ROLE_ARN}
    assert sent["JobTag"] == "deed-1234abcd"
    assert sent["ClientRequestToken"] == client_request_token(HASH, BUCKET, "incoming/deed.tif")
    assert len(sent["ClientRequestToken"]) == 64


def test_get_analysis_reads_every_page_and_merges_them(aws_textract, scripted_textract):
    job = aws_textract.start_analysis(request())
    assert aws_textract.get_analysis(job).status == JobStatus.IN_PROGRESS

    scripted_textract.finish(job.job_id)
    scripted_textract.get_requests.clear()
    done = aws_textract.get_analysis(job)

    expected = real_response("form.png")
    assert done.status == JobStatus.SUCCEEDED
    assert [call.get("NextToken") for call in scripted_textract.get_requests] == [None, "300", "600"]
    assert done.response["Blocks"] == expected["Blocks"]
    assert done.response["DocumentMetadata"] == expected["DocumentMetadata"]
    assert "NextToken" not in done.response and "JobStatus" not in done.response
    # A finished job is not fetched again.
    assert aws_textract.get_analysis(done) is done


def test_restarting_a_finished_job_collects_it_at_once(aws_textract, scripted_textract):
    job = aws_textract.start_analysis(request())
    scripted_textract.finish(job.job_id)
    retried = aws_textract.start_analysis(request())  # e.g. a retried run, after the notification
    assert (retried.job_id, retried.status) == (job.job_id, JobStatus.SUCCEEDED)
    assert len(retried.response["Blocks"]) == len(real_response("form.png")["Blocks"])


def test_failed_job_keeps_the_service_message(aws_textract, scripted_textract):
    job = aws_textract.start_analysis(request())
    scripted_textract.finish(job.job_id, "FAILED", message="UNSUPPORTED_DOCUMENT: the file is not a valid TIFF")
    failed = aws_textract.get_analysis(job)
    assert failed.status == JobStatus.FAILED and failed.response is None
    assert failed.status_message == "UNSUPPORTED_DOCUMENT: the file is not a valid TIFF"


def test_partial_success_returns_the_pages_and_says_which_failed(aws_textract, scripted_textract):
    job = aws_textract.start_analysis(request())
    warnings = [{"ErrorCode": "PAGE_TOO_LARGE", "Pages": [3]}]
    scripted_textract.finish(job.job_id, "PARTIAL_SUCCESS", message="some pages failed", warnings=warnings)
    partial = aws_textract.get_analysis(job)
    assert partial.status == JobStatus.PARTIAL_SUCCESS
    assert len(partial.response["Blocks"]) == len(real_response("form.png")["Blocks"])
    assert partial.response["Warnings"] == warnings
    assert partial.status_message == "some pages failed; pages [3]: PAGE_TOO_LARGE"


def test_job_status_is_one_small_call(aws_textract, scripted_textract):
    job = aws_textract.start_analysis(request())
    scripted_textract.finish(job.job_id)
    scripted_textract.get_requests.clear()
    assert aws_textract.job_status(job.job_id).status == JobStatus.SUCCEEDED
    assert [call["MaxResults"] for call in scripted_textract.get_requests] == [1]
    with pytest.raises(ClientError, match="InvalidJobIdException"):
        aws_textract.job_status("no-such-job")


def test_without_a_topic_no_notification_channel_is_sent(scripted_textract):
    textract = AwsTextract(bucket=BUCKET, region_name="us-east-1")
    textract.start_analysis(request())
    assert "NotificationChannel" not in scripted_textract.start_requests[0]


def test_one_client_per_resource_with_adaptive_retries(aws_textract):
    client = aws_textract.textract
    assert aws_textract.textract is client
    # botocore counts max_attempts as retries after the first try: 8 retries, 9 calls at most.
    assert client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 9}
    assert TextractJob(job_id="x", status=JobStatus.SUCCEEDED).finished
