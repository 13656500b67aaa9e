using PassTrack.Kiosk.Hardware.Scanners;

namespace PassTrack.Kiosk.Tests.Hardware.Scanners;

/// <summary>/dev/input/by-id as the scanner sees it: nodes appear when plugged in, and each open gets the device then plugged.</summary>
internal sealed class FakeKeyboardNodes : IKeyboardNodes
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<FakeDeviceStream>> _plugged = new(StringComparer.Ordinal);

    public FakeDeviceStream Plug(string path)
    {
        var device = new FakeDeviceStream();
        lock (_gate)
        {
            if (!_plugged.TryGetValue(path, out var queue))
            {
                queue = new Queue<FakeDeviceStream>();
                _plugged[path] = queue;
            }

            queue.Enqueue(device);
        }

        return device;
    }

    public IReadOnlyList<string> Find()
    {
        lock (_gate)
        {
            return [.. _plugged.Where(p => p.Value.Count > 0).Select(p => p.Key)];
        }
    }

    public Stream Open(string path)
    {
        lock (_gate)
        {
            return _plugged.TryGetValue(path, out var queue) && queue.TryDequeue(out var device)
                ? device
                : throw new FileNotFoundException("No such device", path);
        }
    }
}
