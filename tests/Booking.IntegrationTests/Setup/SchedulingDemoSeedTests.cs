using System.Net;
using Booking.BuildingBlocks.Jobs;
using Booking.Host.Demo;
using Booking.IntegrationTests.Infrastructure;
using Booking.Roster.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Setup;

public sealed class SchedulingDemoSeedTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task The_demo_seed_gives_a_bookable_week_and_three_services()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var scopes = shared.App.Services.GetRequiredService<IServiceScopeFactory>();
        await using (var scope = await TenantScope.OpenAsync(scopes, biz.Id, CancellationToken.None))
        {
            var seed = Assert.Single(scope.ServiceProvider.GetServices<IDemoSeed>(), s => s is SchedulingDemoSeed);
            await seed.SeedAsync(CancellationToken.None);
        }

        var services = await (await shared.App.NewClient().GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var names = services.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Follow-up", "Initial consultation", "Massage"], names);
        var followUp = services.GetProperty("items").EnumerateArray().First();
        Assert.Equal(2, followUp.GetProperty("diaries").GetArrayLength());
        Assert.Equal("75.00", followUp.GetProperty("price").GetProperty("amount").GetString());

        await using var ask = await TenantScope.OpenAsync(scopes, biz.Id, CancellationToken.None);
        var sender = ask.ServiceProvider.GetRequiredService<ISender>();
        var diaries = await sender.Send(new GetDiaries(null));
        Assert.Equal(["Dr Alex Chen", "Sam Rivera"], diaries.Select(d => d.Name));
        // 2030-01-07 is a Monday, 2030-01-12 a Saturday.
        var hours = await sender.Send(new GetOnlineHours(diaries.Select(d => d.Id).ToList(), new DateOnly(2030, 1, 7), new DateOnly(2030, 1, 13)));
        Assert.Equal(10, hours.Count);
        Assert.All(hours, h => Assert.Equal(
            [new LocalTimeBlock(new TimeSpan(9, 0, 0), new TimeSpan(12, 30, 0)), new LocalTimeBlock(new TimeSpan(13, 30, 0), new TimeSpan(17, 0, 0))], h.Blocks));
    }
}
