/// A figure as data; the report turns it into inline SVG. Experiments never draw.
public enum Figure: Codable, Sendable {
    case plot(PlotSpec)
    case imageGrid(ImageGridSpec)
}

/// Curves or point clouds on two axes.
public struct PlotSpec: Codable, Sendable {
    public enum Scale: String, Codable, Sendable { case linear, log }
    public enum Style: String, Codable, Sendable { case line, points, linePoints }

    public struct Series: Codable, Sendable {
        public var label: String
        public var x: [Double]
        public var y: [Double]
        public var style: Style

        public init(label: String, x: [Double], y: [Double], style: Style = .line) {
            self.label = label
            self.x = x
            self.y = y
            self.style = style
        }
    }

    /// A labelled vertical (`x`) or horizontal (`y`) reference line, e.g. a crossover or a threshold.
    public struct Marker: Codable, Sendable {
        public enum Axis: String, Codable, Sendable { case x, y }
        public var axis: Axis
        public var value: Double
        public var label: String

        public init(axis: Axis, value: Double, label: String) {
            self.axis = axis
            self.value = value
            self.label = label
        }
    }

    public var title: String
    /// Axis labels include units where there are any, e.g. "σ (noise level)".
    public var xLabel: String
    public var yLabel: String
    public var xScale: Scale
    public var yScale: Scale
    public var series: [Series]
    public var markers: [Marker]
    /// Equal units on both axes (phase portraits, projections).
    public var equalAspect: Bool

    public init(title: String, xLabel: String, yLabel: String, xScale: Scale = .linear, yScale: Scale = .linear,
                series: [Series], markers: [Marker] = [], equalAspect: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.series = series
        self.markers = markers
        self.equalAspect = equalAspect
    }
}

/// Greyscale images (e.g. 8×8 digits, values in `range`) laid out in a grid.
public struct ImageGridSpec: Codable, Sendable {
    public var title: String
    public var height: Int
    public var width: Int
    public var columns: Int
    /// Row-major pixels, one array per image.
    public var images: [[Double]]
    public var range: ClosedRange<Double>

    public init(title: String, height: Int, width: Int, columns: Int, images: [[Double]], range: ClosedRange<Double> = -1...1) {
        self.title = title
        self.height = height
        self.width = width
        self.columns = columns
        self.images = images
        self.range = range
    }
}
