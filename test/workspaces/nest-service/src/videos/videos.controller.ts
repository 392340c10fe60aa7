// NestJS controller: @Controller prefix + method decorators.
import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';

interface CreateVideoDto {
  title: string;
}

@Controller('api/projects/:projectId/videos')
export class VideosController {
  @Get()
  findAll(@Param('projectId') projectId: string, @Query('page') page = 1) {
    return { projectId, page, videos: [] };
  }

  @Get(':id')
  findOne(@Param('id') id: string) {
    return { id };
  }

  @Post()
  create(@Body() dto: CreateVideoDto) {
    return dto;
  }

  @Delete(':id')
  remove(@Param('id') id: string) {
    return { removed: id };
  }

  helper() {
    return '@Get(":not-a-route")';
  }
}
