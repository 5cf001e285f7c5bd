using System.Globalization;
using System.Text.RegularExpressions;
using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

/// <summary>
/// What portal.js makes a screen reader say: the code page's resend countdown is not a live region (it would be read
/// every second) and the moment a new code can be asked for is said once; the booking page's list of times is not live,
/// a short status says one summary once a new day's list has settled, and an older answer arriving late does not
/// replace the newer day's list.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class QuietAnnouncementTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_code_page_counts_down_silently_and_says_once_that_a_new_code_can_be_asked_for()
    {
        var business = await fixture.BusinessAsync();
        var page = await fixture.NewPageAsync(1280);
        await page.WatchStatusAsync();
        // Every live-region change after load, whatever its kind, to show the countdown is not one.
        await page.AddInitScriptAsync("""
            window.__liveChanges = [];
            document.addEventListener("DOMContentLoaded", function () {
              new MutationObserver(function (records) {
                records.forEach(function (r) {
                  var el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
                  if (el && el.closest && el.closest("[aria-live], [role=status], [role=alert], [role=log]")) {
                    window.__liveChanges.push(el.closest("[aria-live], [role=status], [role=alert], [role=log]").textContent.trim());
                  }
                });
              }).observe(document.body, { childList: true, subtree: true, characterData: true });
            });
            """);
        // The cooldown is in the address (resendAt, Unix seconds): a short one instead of the real 30 s.
        var resendAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 4;
        await page.GotoAsync(business.Url("/ol/phone/code") + $"&attempt={Guid.NewGuid()}&resendAt={resendAt.ToString(CultureInfo.InvariantCulture)}");

        var resend = page.GetByRole(AriaRole.Button, new() { Name = "Send a new code" });
        await Assertions.Expect(page.Locator("#resend-note")).ToContainTextAsync("You can ask for a new code in");
        await Assertions.Expect(resend).ToBeDisabledAsync();
        Assert.Null(await page.Locator("#resend-note").GetAttributeAsync("aria-live"));

        await Assertions.Expect(resend).ToBeEnabledAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#resend-note")).ToHaveTextAsync("Did not get it? You can ask for a new code now.");
        await page.AssertAnnouncedAsync("You can ask for a new code now.");
        await page.WaitForTimeoutAsync(1500); // nothing more comes

        Assert.Equal(["You can ask for a new code now."], await page.EvaluateAsync<string[]>("() => window.__announced"));
        Assert.Equal(["You can ask for a new code now."], await page.EvaluateAsync<string[]>("() => window.__liveChanges"));
    }

    [Fact]
    public async Task The_booking_page_says_one_summary_per_settled_day_and_a_late_older_answer_does_not_replace_the_newer_list()
    {
        var business = await fixture.BusinessAsync();
        var user = await fixture.RegisterAsync(business);
        var page = await fixture.NewPageAsync(1280);
        await page.WatchStatusAsync();
        await page.SignInAsync(business, user);
        await page.GotoAsync(business.BookingUrlTomorrow());
        await Assertions.Expect(page.Locator("#slots .slot").First).ToBeVisibleAsync();
        Assert.Null(await page.Locator("#slots").GetAttributeAsync("aria-live"));
        Assert.Null(await page.Locator("#slots").GetAttributeAsync("role"));

        var day = page.GetByLabel("Day", new() { Exact = true });
        var today = DateOnly.ParseExact((await day.GetAttributeAsync("min"))!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var first = today.AddDays(3);
        var second = today.AddDays(5);
        // The first day's answer is held back until after the second day's has arrived.
        await page.RouteAsync(new Regex("/ol/new-booking\\?.*date=" + Iso(first)), async route =>
        {
            await Task.Delay(1500);
            await route.ContinueAsync();
        });

        await day.FillAsync(Iso(first));
        await day.FillAsync(Iso(second));

        var status = page.Locator("#slots-status");
        await Assertions.Expect(status).ToHaveTextAsync(new Regex(@"^\d+ free times? on .+\.$"));
        await page.WaitForTimeoutAsync(2500); // the held-back answer has come and gone
        await Assertions.Expect(page.Locator("#slots .slot time").First).ToHaveAttributeAsync("datetime", new Regex("^" + Iso(second)));
        Assert.Matches("[?&]date=" + Iso(second) + "(&|$)", page.Url);

        var heading = (await page.Locator("#slots-heading").TextContentAsync())!.Trim();
        Assert.StartsWith("Free times on ", heading, StringComparison.Ordinal);
        var count = await page.Locator("#slots .slot").CountAsync();
        var expected = $"{count} free time{(count == 1 ? "" : "s")} on {heading["Free times on ".Length..]}.";
        await Assertions.Expect(status).ToHaveTextAsync(expected);
        Assert.Equal([expected], await page.EvaluateAsync<string[]>("() => window.__announced"));
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
