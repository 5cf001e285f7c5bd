using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>Every table on the staff pages names itself with a caption, so a screen reader's table list says which is which.</summary>
public sealed class StaffTableCaptionTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Every_staff_table_has_a_caption()
    {
        var b = await shared.App.BookableAsync();
        var client = await shared.App.RegisterClientAsync(b.Biz);
        Assert.Equal(HttpStatusCode.Created, (await client.BookAsync(b, At(Day(3), 10))).StatusCode);

        string[] pages = ["/staff/setup/team", "/staff/setup/roster", "/staff/setup/services", "/staff/clients", "/staff/tools/messages"];
        var tables = 0;
        foreach (var path in pages)
        {
            // The messages list fills from the background (the booking's emails).
            var page = await Eventually.ReturnsAsync(() => b.Biz.Owner.PageAsync(path), p => p.All("table").Count > 0,
                TimeSpan.FromSeconds(30), $"a table on {path}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            foreach (var table in page.All("table"))
            {
                tables++;
                var caption = table.QuerySelector("caption")?.TextContent.Trim();
                Assert.False(string.IsNullOrEmpty(caption), $"a table on {path} has no caption");
            }
        }

        Assert.True(tables >= pages.Length);
    }
}
