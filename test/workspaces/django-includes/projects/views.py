from django.http import HttpResponse


def project_videos(request, project_id):
    return HttpResponse("[]")
