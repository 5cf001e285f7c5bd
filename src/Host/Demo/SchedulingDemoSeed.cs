using Booking.Roster.Features.Diaries;
using Booking.Roster.Features.WeeklyRoster;
using Booking.Services.Features.Catalogue;
using Mediator;

namespace Booking.Host.Demo;

/// <summary>Two diaries with a Monday–Friday 9–17 roster (lunch not bookable online) and three services.</summary>
public sealed class SchedulingDemoSeed(ISender sender) : IDemoSeed
{
    public const string AlexEmail = "alex.chen@demo.example";
    public const string SamEmail = "sam.rivera@demo.example";

    public int Order => 10;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var alex = await sender.Send(new CreateDiary("Dr Alex Chen", AlexEmail, true), cancellationToken);
        var sam = await sender.Send(new CreateDiary("Sam Rivera", SamEmail, true), cancellationToken);

        string[] weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"];
        var week = weekdays.SelectMany(day => new BlockInput?[]
        {
            new(day, "09:00", "12:30", true),
            new(day, "12:30", "13:30", false), // lunch: staff may book it, clients may not
            new(day, "13:30", "17:00", true),
        }).ToList();
        await sender.Send(new ReplaceWeeklyRoster(alex.Id, week), cancellationToken);
        await sender.Send(new ReplaceWeeklyRoster(sam.Id, week), cancellationToken);

        await sender.Send(new CreateService("Initial consultation", "A first, thorough assessment.", 60, 15,
            new MoneyInput(120m, null), true, [alex.Id]), cancellationToken);
        await sender.Send(new CreateService("Follow-up", "A shorter visit to review progress.", 30, 0,
            new MoneyInput(75m, null), true, [alex.Id, sam.Id]), cancellationToken);
        await sender.Send(new CreateService("Massage", "Remedial massage.", 45, 0,
            new MoneyInput(95m, null), true, [sam.Id]), cancellationToken);
    }

    public IEnumerable<string> Describe() =>
        ["Scheduling:      diaries Dr Alex Chen and Sam Rivera, Mon–Fri 09:00–17:00; services Initial consultation, Follow-up, Massage"];
}
