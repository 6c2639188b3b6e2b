"""Django's built-in Redis cache backend, with one redis-py client per server.

Django's RedisCacheClient builds a new redis.Redis object for every cache
call; with redis-py 8 that costs more CPU than the round trip to Redis and
was half the time of a page-cache hit. A redis.Redis object is safe to share
between threads (each command borrows a connection from the pool), so one
per connection pool is enough. Everything else is Django's own backend.

It adds publish/subscribe on a channel named like a cache key (with the
cache's key prefix), for the page cache to hear of content changes without
asking Redis on every request.
"""

from django.core.cache.backends import redis


class _RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _RedisCacheClient

    def publish(self, key, message):
        self._cache.get_client(write=True).publish(self.make_and_validate_key(key), message)

    def subscribe(self, key):
        """A redis-py PubSub on `key`'s channel, returned once Redis has
        confirmed the subscription (so nothing published after this is missed)."""
        pubsub = self._cache.get_client(write=True).pubsub()
        pubsub.subscribe(self.make_and_validate_key(key))
        confirmation = pubsub.get_message(timeout=1)
        if confirmation is None or confirmation["type"] != "subscribe":
            pubsub.close()
            raise ConnectionError("Redis did not confirm the subscription")
        return pubsub
