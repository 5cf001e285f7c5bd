using System.Text.Json;
using Booking.Roster.Contracts;
using Booking.Roster.Data;
using Booking.Roster.Domain;
using Booking.Roster.Features.WeeklyRoster;

namespace Booking.Roster.Tests;

/// <summary>A block may end at 24:00, the midnight that ends its day; nothing may start there or end past it.</summary>
public sealed class MidnightEndTests
{
    private static readonly TimeSpan Midnight = TimeSpan.FromDays(1);

    // 2030-01-07 is a Monday.
    private static readonly DateOnly Monday = new(2030, 1, 7);

    [Fact]
    public void Twenty_four_hundred_parses_as_an_end_only_and_is_written_back_as_24_00()
    {
        Assert.Equal(Midnight, RosterFormats.ParseEnd("24:00"));
        Assert.Equal(new TimeSpan(23, 59, 0), RosterFormats.ParseEnd("23:59"));
        Assert.Null(RosterFormats.ParseTime("24:00"));
        Assert.Null(RosterFormats.ParseEnd("24:01"));
        Assert.Null(RosterFormats.ParseEnd("25:00"));
        Assert.Null(RosterFormats.ParseEnd("24:00:00"));
        Assert.Equal("24:00", RosterFormats.FormatTime(Midnight));
        Assert.Equal("00:00", RosterFormats.FormatTime(TimeSpan.Zero));
        Assert.Equal("09:05", RosterFormats.FormatTime(new TimeSpan(9, 5, 0)));
    }

    [Fact]
    public void A_block_may_end_at_midnight_but_not_start_there_or_end_past_it()
    {
        var failures = BlockValidation.Check(
            [
                new BlockInput("monday", "22:00", "24:00", true),
                new BlockInput("tuesday", "00:00", "24:00", true),
                new BlockInput("wednesday", "24:00", "24:00", true),
                new BlockInput("thursday", "22:00", "24:01", true),
                new BlockInput("friday", "22:00", "25:00", true),
            ],
            weekly: true);

        Assert.Equal(["blocks[2].start", "blocks[3].end", "blocks[4].end"], failures.Select(f => f.PropertyName));
        Assert.Contains("24:00", failures[0].ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("24:00 for midnight", failures[1].ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_that_end_at_midnight_overlap_like_any_others()
    {
        var failures = BlockValidation.Check(
            [new BlockInput("monday", "18:00", "24:00", true), new BlockInput("monday", "23:00", "24:00", true), new BlockInput("tuesday", "00:00", "06:00", true)],
            weekly: true);

        var failure = Assert.Single(failures);
        Assert.Equal("blocks[1]", failure.PropertyName);
        Assert.Contains("18:00–24:00", failure.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Online_hours_keep_an_end_at_midnight_and_merge_up_to_it()
    {
        RosterBlock[] weekly =
        [
            new() { DiaryId = Guid.Empty, Weekday = DayOfWeek.Monday, Start = new TimeSpan(18, 0, 0), End = new TimeSpan(22, 0, 0), BookableOnline = true },
            new() { DiaryId = Guid.Empty, Weekday = DayOfWeek.Monday, Start = new TimeSpan(22, 0, 0), End = Midnight, BookableOnline = true },
            new() { DiaryId = Guid.Empty, Weekday = DayOfWeek.Tuesday, Start = TimeSpan.Zero, End = new TimeSpan(6, 0, 0), BookableOnline = true },
        ];
        RosterException[] exceptions =
        [
            new() { DiaryId = Guid.Empty, Date = Monday.AddDays(7), Blocks = [new ExceptionBlock(new TimeSpan(23, 0, 0), Midnight, true)] },
        ];

        var hours = OnlineHoursCalculator.Compute([Guid.Empty], Monday, Monday.AddDays(7), weekly, exceptions);

        Assert.Equal([new LocalTimeBlock(new TimeSpan(18, 0, 0), Midnight)], hours.Single(h => h.Date == Monday).Blocks);
        // Monday's block and Tuesday's touch at midnight but stay on their own dates: no block crosses midnight.
        Assert.Equal([new LocalTimeBlock(TimeSpan.Zero, new TimeSpan(6, 0, 0))], hours.Single(h => h.Date == Monday.AddDays(1)).Blocks);
        Assert.Equal([new LocalTimeBlock(new TimeSpan(23, 0, 0), Midnight)], hours.Single(h => h.Date == Monday.AddDays(7)).Blocks);
    }

    [Fact]
    public void Exception_blocks_in_jsonb_read_documents_written_before_and_keep_24_00()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new ClockTimeJsonConverter() } };

        // As blocks of TimeOnly were written before ends could be 24:00.
        var old = JsonSerializer.Deserialize<List<ExceptionBlock>>("""[{"start":"09:00:00","end":"17:30:00","bookableOnline":true}]""", options);
        Assert.Equal([new ExceptionBlock(new TimeSpan(9, 0, 0), new TimeSpan(17, 30, 0), true)], old);

        var written = JsonSerializer.Serialize(new List<ExceptionBlock> { new(new TimeSpan(22, 0, 0), Midnight, false) }, options);
        Assert.Equal("""[{"start":"22:00:00","end":"24:00:00","bookableOnline":false}]""", written);
        Assert.Equal(Midnight, JsonSerializer.Deserialize<List<ExceptionBlock>>(written, options)![0].End);
    }
}
