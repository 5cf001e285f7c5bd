using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// A diary's weekly roster and a service's diaries are replaced whole by a PUT. Two PUTs at the same moment (two
/// tabs, two staff) must leave one of the two, not a mix of both (a roster with both sets of hours, a service on
/// every diary either named). Each test makes the overlap certain: a transaction of its own locks the parent row
/// (the diary, the service) while both requests start, then commits.
/// </summary>
public sealed class ReplaceRaceTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Two_rosters_saved_at_the_same_moment_leave_one_of_them_not_both()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var diary = await biz.CreateDiaryAsync();
        object[] mornings = [SetupApi.Block("monday", "08:00", "12:00"), SetupApi.Block("tuesday", "08:00", "12:00")];
        object[] evenings = [SetupApi.Block("wednesday", "17:00", "21:00")];

        await using (var held = await LockAsync("SELECT 1 FROM roster.diaries WHERE id = @id FOR UPDATE", diary))
        {
            foreach (var answer in await held.QueueThenCommitAsync("roster.",
                         () => biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}/roster", new { blocks = mornings }),
                         () => biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}/roster", new { blocks = evenings })))
            {
                await answer.JsonAsync(HttpStatusCode.OK);
            }
        }

        var roster = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{diary}/roster", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var weekdays = roster.GetProperty("blocks").EnumerateArray().Select(block => block.GetProperty("weekday").GetString()).ToList();
        Assert.True(weekdays.SequenceEqual(["monday", "tuesday"]) || weekdays.SequenceEqual(["wednesday"]), string.Join(", ", weekdays));
    }

    [Fact]
    public async Task Two_changes_of_a_services_diaries_at_the_same_moment_leave_one_of_them_not_both()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var (first, second, third) = (await biz.CreateDiaryAsync("One"), await biz.CreateDiaryAsync("Two"), await biz.CreateDiaryAsync("Three"));
        var service = await biz.CreateServiceAsync("Consultation", first);

        await using (var held = await LockAsync("SELECT 1 FROM services.services WHERE id = @id FOR UPDATE", service))
        {
            foreach (var answer in await held.QueueThenCommitAsync("services.",
                         () => biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{service}", SetupApi.ServiceBody("Consultation", [first, second])),
                         () => biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{service}", SetupApi.ServiceBody("Consultation", [first, third]))))
            {
                await answer.JsonAsync(HttpStatusCode.OK);
            }
        }

        var saved = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/services/{service}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var diaries = saved.GetProperty("diaryIds").EnumerateArray().Select(d => d.GetGuid()).ToHashSet();
        Assert.True(diaries.SetEquals([first, second]) || diaries.SetEquals([first, third]), string.Join(", ", diaries));
    }

    private async Task<HeldTransaction> LockAsync(string select, Guid id)
    {
        var held = await HeldTransaction.BeginAsync(shared.App.Database.Database);
        Assert.Equal(1, await held.ExecAsync(select, ("id", id)));
        return held;
    }
}
