using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Two deletes of the same thing at the same moment (a double click, two staff), or a change and a delete: both
/// find it, the delete removes it, and the other's save finds nothing to save. That used to answer 500; it is told
/// what it would have been told a moment later, 404, and the delete answers 204. A transaction of the test's own
/// locks the row while both requests find it, so the two certainly overlap.
/// </summary>
public sealed class DeleteRaceTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_roster_exception_deleted_twice_or_changed_and_deleted_at_once(bool change)
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var diary = await biz.CreateDiaryAsync();
        var id = (await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions", new { date = "2030-12-25", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // A save or removal of an exception takes the business's hours lock first (decision 342), so the second request
        // waits there, behind the first, which holds it while it waits on the row.
        await DeleteTwiceAsync(biz, "roster.roster_exceptions", id, $"/api/v1/admin/diaries/{diary}/exceptions/{id}",
            change ? new { date = "2030-12-26", closed = true, blocks = Array.Empty<object>() } : null, secondWaitsIn: "pg_advisory_xact_lock(hashtextextended(");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_template_deleted_twice_or_changed_and_deleted_at_once(bool change)
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var id = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "Reminder", subject = "Hi {ClientFirstName}", body = "See you at {NextAppointmentStartDateTime}." }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await DeleteTwiceAsync(biz, "notifications.email_templates", id, $"/api/v1/admin/templates/{id}",
            change ? new { name = "Reminder 2", subject = "Hello {ClientFirstName}", body = "See you." } : null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_team_member_removed_twice_or_changed_and_removed_at_once(bool change)
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var id = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", new
        {
            name = "Terry Team", email = $"terry@{biz.Slug}.example", password = "a team member's password 2026", role = "practitioner", diaryIds = Array.Empty<Guid>(),
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await DeleteTwiceAsync(biz, "tenancy.staff_members", id, $"/api/v1/admin/staff/{id}",
            change ? new { name = "Terry T", email = $"terry@{biz.Slug}.example", role = "admin", diaryIds = Array.Empty<Guid>() } : null);
    }

    /// <summary>
    /// A DELETE of <paramref name="path"/>, then a second DELETE (or a PUT of <paramref name="change"/>), both waiting on a
    /// lock on the row, or the second in a statement containing <paramref name="secondWaitsIn"/> (a lock the first holds).
    /// </summary>
    private async Task DeleteTwiceAsync(TestBusiness biz, string table, Guid id, string path, object? change, string? secondWaitsIn = null)
    {
        HttpResponseMessage[] answers;
        await using (var held = await HeldTransaction.BeginAsync(shared.App.Database.Database))
        {
            Assert.Equal(1, await held.ExecAsync($"SELECT 1 FROM {table} WHERE id = @id FOR UPDATE", ("id", id)));
            var first = biz.Owner.DeleteAsync(new Uri(path, UriKind.Relative));
            await held.WaitForWaitingAsync(1, table);
            var second = change is null ? biz.Owner.DeleteAsync(new Uri(path, UriKind.Relative)) : biz.Owner.PutAsJsonAsync(path, change);
            await held.WaitForWaitingAsync(secondWaitsIn is null ? 2 : 1, secondWaitsIn ?? table);
            await held.CommitAsync();
            answers = await Task.WhenAll(first, second);
        }

        await answers[0].JsonAsync(HttpStatusCode.NoContent);
        await answers[1].JsonAsync(HttpStatusCode.NotFound);
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(shared.App.Database.Database, $"SELECT count(*) FROM {table} WHERE id = @id", ("id", id)));
    }
}
