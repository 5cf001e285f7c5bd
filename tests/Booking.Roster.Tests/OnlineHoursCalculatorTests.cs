using Booking.Roster.Contracts;
using Booking.Roster.Domain;

namespace Booking.Roster.Tests;

public sealed class OnlineHoursCalculatorTests
{
    private static readonly Guid Diary = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();

    // 2030-01-07 is a Monday.
    private static readonly DateOnly Monday = new(2030, 1, 7);

    private static TimeSpan T(int h, int m = 0) => new(h, m, 0);

    private static RosterBlock Weekly(DayOfWeek day, int from, int to, bool online = true, Guid? diary = null) =>
        new() { DiaryId = diary ?? Diary, Weekday = day, Start = T(from), End = T(to), BookableOnline = online };

    private static RosterException Exception(DateOnly date, bool closed, params ExceptionBlock[] blocks) =>
        new() { DiaryId = Diary, Date = date, Closed = closed, Blocks = blocks.ToList() };

    [Fact]
    public void Weekly_online_blocks_apply_to_each_matching_date_and_offline_blocks_are_left_out()
    {
        var hours = OnlineHoursCalculator.Compute([Diary], Monday, Monday.AddDays(7),
            [Weekly(DayOfWeek.Monday, 9, 12), Weekly(DayOfWeek.Monday, 12, 13, online: false), Weekly(DayOfWeek.Monday, 13, 17)], []);

        Assert.Equal([Monday, Monday.AddDays(7)], hours.Select(h => h.Date));
        Assert.All(hours, h => Assert.Equal([new LocalTimeBlock(T(9), T(12)), new LocalTimeBlock(T(13), T(17))], h.Blocks));
    }

    [Fact]
    public void A_closed_exception_removes_the_day()
    {
        var hours = OnlineHoursCalculator.Compute([Diary], Monday, Monday.AddDays(7),
            [Weekly(DayOfWeek.Monday, 9, 17)], [Exception(Monday, closed: true)]);

        Assert.Equal([Monday.AddDays(7)], hours.Select(h => h.Date));
    }

    [Fact]
    public void An_exception_with_blocks_replaces_that_days_hours_only()
    {
        var hours = OnlineHoursCalculator.Compute([Diary], Monday, Monday.AddDays(7),
            [Weekly(DayOfWeek.Monday, 9, 17)],
            [Exception(Monday, closed: false, new ExceptionBlock(T(10), T(11), true), new ExceptionBlock(T(14), T(15), BookableOnline: false))]);

        Assert.Equal([new LocalTimeBlock(T(10), T(11))], hours.Single(h => h.Date == Monday).Blocks);
        Assert.Equal([new LocalTimeBlock(T(9), T(17))], hours.Single(h => h.Date == Monday.AddDays(7)).Blocks);
    }

    [Fact]
    public void An_exception_can_open_a_day_the_roster_leaves_empty()
    {
        var saturday = Monday.AddDays(5);
        var hours = OnlineHoursCalculator.Compute([Diary], Monday, Monday.AddDays(6),
            [Weekly(DayOfWeek.Monday, 9, 17)], [Exception(saturday, closed: false, new ExceptionBlock(T(9), T(12), true))]);

        Assert.Equal([Monday, saturday], hours.Select(h => h.Date));
    }

    [Fact]
    public void An_exception_with_only_offline_blocks_leaves_no_online_time()
    {
        var hours = OnlineHoursCalculator.Compute([Diary], Monday, Monday,
            [Weekly(DayOfWeek.Monday, 9, 17)], [Exception(Monday, closed: false, new ExceptionBlock(T(9), T(12), false))]);

        Assert.Empty(hours);
    }

    [Fact]
    public void Exceptions_and_blocks_of_another_diary_do_not_leak()
    {
        var hours = OnlineHoursCalculator.Compute([Diary, Other], Monday, Monday,
            [Weekly(DayOfWeek.Monday, 9, 17), Weekly(DayOfWeek.Monday, 8, 10, diary: Other)],
            [Exception(Monday, closed: true)]);

        var only = Assert.Single(hours);
        Assert.Equal(Other, only.DiaryId);
        Assert.Equal([new LocalTimeBlock(T(8), T(10))], only.Blocks);
    }

    [Fact]
    public void Touching_online_blocks_merge_and_come_out_sorted()
    {
        var merged = OnlineHoursCalculator.Merge(
            [new LocalTimeBlock(T(13), T(17)), new LocalTimeBlock(T(9), T(12)), new LocalTimeBlock(T(12), T(13))]);

        Assert.Equal([new LocalTimeBlock(T(9), T(17))], merged);
    }

    [Fact]
    public void An_empty_or_reversed_range_gives_nothing()
    {
        Assert.Empty(OnlineHoursCalculator.Compute([Diary], Monday, Monday.AddDays(-1), [Weekly(DayOfWeek.Monday, 9, 17)], []));
    }
}
