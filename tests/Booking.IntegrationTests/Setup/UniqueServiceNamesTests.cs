using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// A live service's name is one per business (decision 210), held by the unique index on (tenant, lower(name)) of live
/// services: restoring a retired service whose name a live one has now is refused on <c>name</c>, and two creates at
/// one instant that both found the name free make one service and answer the other as the look would have.
/// </summary>
public sealed class UniqueServiceNamesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static object Service(string name) => new
    {
        name,
        description = "A service",
        durationMinutes = 30,
        bufferAfterMinutes = 0,
        price = new { amount = "45.00", currency = "AUD" },
        bookableOnline = false,
        diaryIds = Array.Empty<Guid>(),
    };

    private static Uri Restore(Guid id) => new($"/api/v1/admin/services/{id}/restore", UriKind.Relative);

    [Fact]
    public async Task Restoring_a_retired_service_whose_name_a_live_one_has_now_is_refused_on_name_until_one_is_renamed()
    {
        var biz = await App.SignUpBusinessAsync("restore-name");
        var wash = await biz.ServiceAsync("Wash", 30, 0, []);
        Assert.Equal(HttpStatusCode.NoContent, (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/services/{wash}", UriKind.Relative))).StatusCode);
        var live = await biz.ServiceAsync("WASH", 30, 0, []); // a retired service's name is free

        var refused = await (await biz.Owner.PostAsync(Restore(wash), null)).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["name"], refused.ErrorFields());
        Assert.Equal("Another service is already called WASH. Rename one of the two first, then restore this one.",
            refused.GetProperty("errors").GetProperty("name")[0].GetString());
        var still = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/services/{wash}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.True(still.GetProperty("retired").GetBoolean());

        // The Services page says it in its error summary, as no field's (it has no name field), and restores nothing.
        var page = await biz.Owner.PageAsync("/staff/setup/services");
        var posted = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(), $"form[action*='handler=Restore'][action*='{wash}']");
        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Contains("Another service is already called WASH. Rename one of the two first", posted.One("#error-summary li")?.TextContent, StringComparison.Ordinal);
        Assert.Null(posted.One("#error-summary li a")); // no link to a field the page does not have

        // Renamed, the live one leaves the name free, and the retired one comes back as it was.
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{live}", Service("Wash, express"))).JsonAsync(HttpStatusCode.OK);
        var restored = await (await biz.Owner.PostAsync(Restore(wash), null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Wash", restored.GetProperty("name").GetString());
        Assert.False(restored.GetProperty("retired").GetBoolean());
    }

    [Fact]
    public async Task Two_services_created_at_once_with_one_name_make_one_and_the_other_is_refused_on_name()
    {
        var biz = await App.SignUpBusinessAsync("race-name");
        HttpResponseMessage[] answers;
        await using (var held = await HeldTransaction.BeginAsync(App.Database.Database))
        {
            // A live "Race" of the business's, not yet committed: both creates find the name free (they cannot see it),
            // then both wait on it at the unique index. Rolled back, one create goes in and the other meets it there.
            await held.ExecAsync("""
                INSERT INTO services.services (tenant_id, id, name, description, duration_minutes, buffer_after_minutes, price_amount, bookable_online, created_at, updated_at)
                VALUES (@t, gen_random_uuid(), 'Race', '', 30, 0, 0, false, now(), now())
                """, ("t", biz.Id));
            var sent = new[] { "race", "RACE " }.Select(name => biz.Owner.PostAsJsonAsync("/api/v1/admin/services", Service(name))).ToList();
            await held.WaitForBlockedAsync(2);
            await held.RollbackAsync();
            answers = await Task.WhenAll(sent);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.BadRequest], answers.Select(a => a.StatusCode).Order());
        var refused = await answers.Single(a => a.StatusCode == HttpStatusCode.BadRequest).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["name"], refused.ErrorFields());
        Assert.Equal("Another service already has this name. Choose a different name.", refused.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM services.services WHERE tenant_id = @t AND lower(name) = 'race'", ("t", biz.Id)));
    }
}
