-- name: top_videos
select id, views
  from videos
 where owner_id = :owner_id
 order by views desc
 limit 10;
