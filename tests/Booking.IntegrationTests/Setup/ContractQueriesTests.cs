using System.Net;
using System.Net.Http.Json;
using Booking.BuildingBlocks.Jobs;
using Booking.IntegrationTests.Infrastructure;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Setup;

/// <summary>The cross-module queries other modules build on, asked through the mediator as they ask them.</summary>
public sealed class ContractQueriesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private async Task<T> AskAsync<T>(Guid tenantId, IQuery<T> query)
    {
        await using var scope = await TenantScope.OpenAsync(shared.App.Services.GetRequiredService<IServiceScopeFactory>(), tenantId, CancellationToken.None);
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query);
    }

    [Fact]
    public async Task A_new_business_gets_default_portal_settings_and_booking_rules()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var settings = await AskAsync(biz.Id, new GetPortalSettings());
        Assert.True(settings.Enabled);
        Assert.Equal(new PortalSignInMethods(true, true), settings.SignInMethods);
        Assert.Equal(new PortalAccessLevels(true, true, true), settings.AccessLevels);
        Assert.Equal(24, settings.CancellationPolicy.Hours);
        Assert.Equal("refuse", settings.CancellationPolicy.InsideWindow);
        Assert.True(settings.AcceptingNewClients);
        Assert.False(settings.NewClientsNeedApproval);
        Assert.True(settings.ShowPrices);
        Assert.False(settings.BooksForPets);
        Assert.Null(settings.Terms);

        var rules = await AskAsync(biz.Id, new GetBookingRules());
        Assert.Equal(new BookingRulesView(15, 60, 60), rules);
    }

    [Fact]
    public async Task Online_hours_follow_the_roster_and_the_dated_exceptions()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var diary = await biz.CreateDiaryAsync();
        await biz.PutRosterAsync(diary,
            SetupApi.Block("monday", "09:00", "12:00"),
            SetupApi.Block("monday", "12:00", "13:00", bookableOnline: false),
            SetupApi.Block("monday", "13:00", "17:00"),
            SetupApi.Block("tuesday", "09:00", "17:00"));
        // 2030-01-07 is a Monday; close it, and give Tuesday 2030-01-08 other hours.
        var closedMonday = await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions", new { date = "2030-01-07", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);
        await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions",
                new { date = "2030-01-08", closed = false, blocks = new[] { new { start = "10:00", end = "11:30", bookableOnline = true } } }))
            .JsonAsync(HttpStatusCode.Created);

        var hours = await AskAsync(biz.Id, new GetOnlineHours([diary], new DateOnly(2029, 12, 31), new DateOnly(2030, 1, 8)));

        var monday = Assert.Single(hours, h => h.Date == new DateOnly(2029, 12, 31));
        Assert.Equal([new LocalTimeBlock(new TimeSpan(9, 0, 0), new TimeSpan(12, 0, 0)), new LocalTimeBlock(new TimeSpan(13, 0, 0), new TimeSpan(17, 0, 0))], monday.Blocks);
        Assert.DoesNotContain(hours, h => h.Date == new DateOnly(2030, 1, 7));
        var changed = Assert.Single(hours, h => h.Date == new DateOnly(2030, 1, 8));
        Assert.Equal([new LocalTimeBlock(new TimeSpan(10, 0, 0), new TimeSpan(11, 30, 0))], changed.Blocks);
        Assert.Contains(hours, h => h.Date == new DateOnly(2030, 1, 1)); // an ordinary Tuesday
        Assert.DoesNotContain(hours, h => h.Date == new DateOnly(2030, 1, 5)); // Saturday: no roster

        // Changing the exception reaches the (cached) online hours at once: the closed Monday opens 14:00–15:00.
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions/{closedMonday.GetProperty("id").GetGuid()}",
                new { date = "2030-01-07", closed = false, blocks = new[] { new { start = "14:00", end = "15:00", bookableOnline = true } } }))
            .JsonAsync(HttpStatusCode.OK);
        var after = await AskAsync(biz.Id, new GetOnlineHours([diary], new DateOnly(2030, 1, 7), new DateOnly(2030, 1, 7)));
        Assert.Equal([new LocalTimeBlock(new TimeSpan(14, 0, 0), new TimeSpan(15, 0, 0))], Assert.Single(after).Blocks);
    }

    [Fact]
    public async Task Services_and_diaries_answer_through_the_contracts_with_the_tenants_currency()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var diary = await biz.CreateDiaryAsync("Dr Alex Chen", "alex@test.example");
        var id = await biz.CreateServiceAsync("Initial consultation", diary);

        var service = await AskAsync(biz.Id, new GetService(id));
        Assert.NotNull(service);
        Assert.Equal(45.00m, service.Price.Amount);
        Assert.Equal("AUD", service.Price.Currency);
        Assert.Equal([diary], service.DiaryIds);
        Assert.False(service.Retired);

        var diaries = await AskAsync(biz.Id, new GetDiaries(null));
        Assert.Equal("Dr Alex Chen", Assert.Single(diaries).Name);

        await (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/services/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.NoContent);
        Assert.True((await AskAsync(biz.Id, new GetService(id)))!.Retired);
        Assert.Empty(await AskAsync(biz.Id, new GetServices(OnlineOnly: true)));
        Assert.Single(await AskAsync(biz.Id, new GetServices(OnlineOnly: false)));
    }

    [Fact]
    public async Task Online_hours_leave_out_inactive_diaries_and_diaries_of_other_businesses()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var other = await shared.App.SignUpBusinessAsync();
        var active = await biz.CreateDiaryAsync("Active");
        var inactive = await biz.CreateDiaryAsync("Inactive");
        var theirs = await other.CreateDiaryAsync("Theirs");
        foreach (var (owner, diary) in new[] { (biz, active), (biz, inactive), (other, theirs) })
        {
            await owner.PutRosterAsync(diary, SetupApi.Block("monday", "09:00", "17:00"));
        }

        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{inactive}", new { name = "Inactive", contactEmail = "i@x.example", active = false }))
            .JsonAsync(HttpStatusCode.OK);

        var hours = await AskAsync(biz.Id, new GetOnlineHours([active, inactive, theirs], new DateOnly(2030, 1, 7), new DateOnly(2030, 1, 7)));

        Assert.Equal(active, Assert.Single(hours).DiaryId);
        Assert.Equal(2, (await AskAsync(biz.Id, new GetDiaries(null))).Count);
        Assert.Empty(await AskAsync(biz.Id, new GetDiaries([theirs])));
    }

    [Fact]
    public async Task A_setup_route_with_another_businesss_name_is_a_tenant_mismatch()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var other = await shared.App.SignUpBusinessAsync();

        var problem = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries?name={other.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.Forbidden);

        Assert.Equal("tenant-mismatch", problem.Kind());
    }
}
