from django.http import HttpResponse


def detail(request, video_id):
    return HttpResponse(str(video_id))


def detections(request, video_id):
    return HttpResponse("[]")


def index(request):
    return HttpResponse("videos")
