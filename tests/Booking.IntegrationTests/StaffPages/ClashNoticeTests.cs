using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Time;
using Booking.Host.Pages.Staff;
using Booking.Host.Pages.Staff.Diary;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>The clash notice rides over the redirect in TempData, a cookie: a busy day closed must not overflow it.</summary>
public sealed class ClashNoticeTests
{
    [Fact]
    public void A_long_list_of_clashes_carries_ten_lines_and_says_how_many_more()
    {
        var start = new DateTimeOffset(2026, 12, 9, 9, 0, 0, TimeSpan.FromHours(11));
        var clashes = Enumerable.Range(0, 37)
            .Select(i => new AppointmentClash(Guid.NewGuid(), start.AddMinutes(15 * i), start.AddMinutes(15 * i + 15), $"Client number {i}", "Massage", "confirmed"))
            .ToList();
        var time = new DiaryTime("Australia/Sydney", TimeProvider.System, TimeFormat.TwentyFourHour, DateStyle.DayFirst);

        var json = ClashNotice.Write(clashes, time, "on this closed day");
        var notice = ClashNotice.Read(json)!;

        Assert.Equal("37 appointments are on this closed day:", notice.Heading);
        Assert.Equal(clashes.Take(ClashNotice.MaxLines).Select(c => c.AppointmentId), notice.Lines.Select(l => l.AppointmentId));
        Assert.Equal(27, notice.More);
        Assert.InRange(json!.Length, 1, 2000);
    }
}
