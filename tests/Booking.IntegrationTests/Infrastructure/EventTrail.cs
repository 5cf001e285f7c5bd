namespace Booking.IntegrationTests.Infrastructure;

/// <summary>
/// Where a business's outbox events are on their way to Notifications' message log: when each was written, handed to
/// Hangfire (and after how many failed hand-overs), every Hangfire job that carried it with its states and their
/// times (a failure's message included), and when its first outbound message was written. For a test that timed out
/// waiting for an email: its message then says which stage held the event, instead of only "last value: 0".
/// </summary>
public static class EventTrail
{
    public static async Task<string> DescribeAsync(BookingApp app, string module, Guid tenantId)
    {
        try
        {
            return await Sql.AdminScalarAsync<string>(app.Database.Database, $"""
                select coalesce(string_agg(
                    split_part(o.type, ',', 1) || ' ' || o.id
                    || ': occurred ' || to_char(o.occurred_at at time zone 'UTC', 'HH24:MI:SS.MS')
                    || ', handed ' || coalesce(to_char(o.dispatched_at at time zone 'UTC', 'HH24:MI:SS.MS'), 'not yet')
                    || ' (' || o.attempts || ' failed hand-overs' || coalesce(', next ' || to_char(o.next_attempt_at at time zone 'UTC', 'HH24:MI:SS.MS'), '')
                    || coalesce(', last error: ' || left(o.last_error, 200), '') || ')'
                    || ', jobs ' || coalesce((
                        select string_agg(j.id || ' ' || j.statename || ' [' || coalesce((
                            select string_agg(s.name || ' ' || to_char(s.createdat at time zone 'UTC', 'HH24:MI:SS.MS')
                                || coalesce(' ' || left(s.data ->> 'ExceptionMessage', 200), ''), ', ' order by s.id)
                            from hangfire.state s where s.jobid = j.id), '') || ']', '; ' order by j.id)
                        from hangfire.job j where j.arguments::text like '%' || o.id::text || '%'), 'none')
                    || ', outbound row ' || coalesce((
                        select to_char(min(m.created_at) at time zone 'UTC', 'HH24:MI:SS.MS')
                        from notifications.outbound_messages m where m.event_id = o.id), 'none'),
                    E'\n' order by o.occurred_at), 'no outbox events')
                    || E'\nnow ' || to_char(now() at time zone 'UTC', 'HH24:MI:SS.MS')
                from "{module}".outbox_messages o where o.tenant_id = @t
                """, ("t", tenantId)) ?? "";
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException)
        {
            return $"(no trail: {ex.Message})";
        }
    }
}
