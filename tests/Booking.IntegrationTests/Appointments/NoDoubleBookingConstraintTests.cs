using Booking.IntegrationTests.Infrastructure;
using Npgsql;

namespace Booking.IntegrationTests.Appointments;

/// <summary>The exclusion constraint itself, straight in SQL: the one guard against overlapping appointments.</summary>
public sealed class NoDoubleBookingConstraintTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly DateTimeOffset Ten = new(2030, 1, 7, 10, 0, 0, TimeSpan.Zero);

    private async Task InsertAsync(Guid tenant, Guid diary, DateTimeOffset start, int minutes, int bufferMinutes = 0, string status = "confirmed")
    {
        await Sql.AdminExecAsync(shared.App.Database.Database, """
            INSERT INTO appointments.appointments
                (tenant_id, id, client_id, diary_id, service_id, start_at, end_at, blocked_until, status, source, created_at, updated_at, ended)
            VALUES (@t, @id, @c, @d, @s, @start, @end, @until, @status, 'staff', now(), now(), CASE WHEN @status IN ('cancelled', 'declined') THEN @status END)
            """,
            ("t", tenant), ("id", Guid.NewGuid()), ("c", Guid.NewGuid()), ("d", diary), ("s", Guid.NewGuid()),
            ("start", start), ("end", start.AddMinutes(minutes)), ("until", start.AddMinutes(minutes + bufferMinutes)), ("status", status));
    }

    private static async Task AssertOverlapRefusedAsync(Func<Task> insert)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(insert);
        Assert.Equal(PostgresErrorCodes.ExclusionViolation, error.SqlState);
        Assert.Equal("ex_appointments_no_overlap", error.ConstraintName);
    }

    [Fact]
    public async Task Overlapping_live_appointments_of_one_diary_are_refused_by_the_database()
    {
        var (tenant, diary) = (Guid.NewGuid(), Guid.NewGuid());
        await InsertAsync(tenant, diary, Ten, 60);

        await AssertOverlapRefusedAsync(() => InsertAsync(tenant, diary, Ten.AddMinutes(30), 60));
        await AssertOverlapRefusedAsync(() => InsertAsync(tenant, diary, Ten.AddMinutes(-30), 45));
        await AssertOverlapRefusedAsync(() => InsertAsync(tenant, diary, Ten, 60, status: "requested"));
    }

    [Fact]
    public async Task Back_to_back_other_diaries_other_tenants_and_released_appointments_are_allowed()
    {
        var (tenant, diary) = (Guid.NewGuid(), Guid.NewGuid());
        await InsertAsync(tenant, diary, Ten, 60);

        await InsertAsync(tenant, diary, Ten.AddMinutes(60), 30); // '[)': touching is not overlapping
        await InsertAsync(tenant, diary, Ten.AddMinutes(-60), 60);
        await InsertAsync(tenant, Guid.NewGuid(), Ten, 60);
        await InsertAsync(Guid.NewGuid(), diary, Ten, 60);
        await InsertAsync(tenant, diary, Ten, 60, status: "cancelled");
        await InsertAsync(tenant, diary, Ten, 60, status: "declined");
    }

    [Fact]
    public async Task The_buffer_after_an_appointment_is_part_of_the_guarded_span()
    {
        var (tenant, diary) = (Guid.NewGuid(), Guid.NewGuid());
        await InsertAsync(tenant, diary, Ten, 60, bufferMinutes: 15);

        await AssertOverlapRefusedAsync(() => InsertAsync(tenant, diary, Ten.AddMinutes(60), 30));
        await InsertAsync(tenant, diary, Ten.AddMinutes(75), 30);
    }
}
