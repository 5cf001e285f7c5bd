using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// The per-business cap on sign-in codes is the last guard against SMS pumping from many phones and many addresses.
/// Its count was taken under locks on the phone and the address only, so sends from different phones and addresses
/// at the same moment each counted before the others were saved and all went out past the cap. A transaction of
/// the test's own holds every new send back while all of them have counted, which makes that certain.
/// </summary>
[Collection(nameof(EdgeApp))]
public sealed class TenantCodeCapRaceTests(EdgeApp edge)
{
    private BookingApp App => edge.App;

    [Fact]
    public async Task Codes_asked_for_at_once_from_different_phones_and_addresses_stop_at_the_business_cap()
    {
        var biz = await App.SignUpBusinessAsync();
        Task<HttpResponseMessage> Start(int i)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/portal/auth/phone/start?name={biz.Slug}")
            {
                Content = JsonContent.Create(new { mobile = PortalAuthHelpers.NewMobile() }),
            };
            request.Headers.Add("X-Test-Ip", $"203.0.113.{i + 1}");
            return App.NewClient().SendAsync(request);
        }

        HttpResponseMessage[] answers;
        await using (var held = await HeldTransaction.BeginAsync(App.Database.Database))
        {
            await held.ExecAsync("LOCK TABLE portalauth.code_sends IN SHARE MODE");
            var sent = Enumerable.Range(0, 5).Select(Start).ToList();
            await held.WaitForWaitingAsync(5, ""); // each in its insert, or waiting for its turn to count
            await held.CommitAsync();
            answers = await Task.WhenAll(sent);
        }

        var statuses = answers.Select(a => a.StatusCode).ToList();
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(3L, await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM portalauth.code_sends WHERE tenant_id = @t", ("t", biz.Id)));
    }
}
